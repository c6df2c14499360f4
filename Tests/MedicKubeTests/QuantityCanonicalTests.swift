import MedicKube
import Testing

@Suite struct QuantityCanonicalTests {
    @Test(arguments: [
        ("128Mi", "128Mi"), ("1024Mi", "1Gi"), ("1536Ki", "1536Ki"), ("1048576Ki", "1Gi"),
        ("500m", "500m"), ("1000m", "1"), ("2000m", "2"), ("1500m", "1500m"), ("12000", "12k"),
        ("2048", "2048"), ("0", "0"), ("0Mi", "0"), ("3G", "3G"), ("1000M", "1G"),
    ])
    func canonicalFormMatchesTheServers(input: String, canonical: String) {
        #expect(Quantity.canonical(input) == canonical)
    }

    @Test(arguments: ["", "Mi", "0.5", "1.5Gi", "-1", "1e3", "12 Mi", "1Xi", "1234567890123456"])
    func refusesWhatItCannotCanonicalizeExactly(input: String) {
        #expect(Quantity.canonical(input) == nil)
    }
}
