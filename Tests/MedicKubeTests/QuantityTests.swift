import Testing
@testable import MedicKube

@Suite struct QuantityTests {
    @Test(arguments: [
        ("128Mi", 134_217_728), ("1Gi", 1_073_741_824), ("1.5Gi", 1_610_612_736), ("512Ki", 524_288),
        ("500M", 500_000_000), ("2k", 2000), ("1e3", 1000), ("1E6", 1_000_000), ("0.5", 1), ("1000", 1000),
        ("100m", 1), ("0", 0), ("+64Mi", 67_108_864), ("2Ei", 2_305_843_009_213_693_952),
    ] as [(String, Int64)])
    func bytes(text: String, expected: Int64) throws {
        #expect(try Quantity.bytes(text) == expected)
    }

    /// The whole-number reading that skips `Decimal` gives what the exact one gives, or leaves
    /// the text to it: every digit count, suffix and sign, at the edges of Int64 too.
    @Test func theWholeNumberReadingAgreesWithTheExactOne() {
        let suffixes = ["", "m", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E", "u", "n", "e3", "i", "mi", " "]
        let numbers = ["0", "1", "05", "7", "100", "250", "999999", "1.5", "+2", "-3", "", "9223372036854775807",
                       "922337203685477580", "999999999999999999", "9007199254740993", "12345678901234"]
        var fast = 0
        for number in numbers {
            for suffix in suffixes {
                let text = number + suffix
                for inMilli in [false, true] {
                    let exact: Int64? = inMilli ? (try? Quantity(text).millicores()) : (try? Quantity(text).bytes())
                    guard let whole = Quantity.wholeNumber(text, inMilli: inMilli) else { continue }
                    fast += 1
                    #expect(whole == exact, "\(text) in \(inMilli ? "millicores" : "bytes")")
                }
                #expect((try? Quantity.bytes(text)) == (try? Quantity(text).bytes()), "\(text)")
                #expect((try? Quantity.millicores(text)) == (try? Quantity(text).millicores()), "\(text)")
            }
        }
        #expect(fast > 100)
    }

    @Test(arguments: [
        ("100m", 100), ("500m", 500), ("0.5", 500), ("2", 2000), ("1.25", 1250), ("1e3", 1_000_000),
        ("2k", 2_000_000), ("250000u", 250), ("1n", 1), ("0.0001", 1),
    ] as [(String, Int64)])
    func millicores(text: String, expected: Int64) throws {
        #expect(try Quantity.millicores(text) == expected)
    }

    @Test func keepsTheTextAndExactValue() throws {
        let quantity = try Quantity("1.5Gi")
        #expect(quantity.text == "1.5Gi")
        #expect(quantity.description == "1.5Gi")
        #expect(quantity.value == 1_610_612_736)
    }

    @Test(arguments: [
        ("", #""" is not a Kubernetes quantity: it is empty"#),
        ("Mi", #""Mi" is not a Kubernetes quantity: it does not start with a number"#),
        ("12Gb", #""12Gb" is not a Kubernetes quantity: unknown suffix "Gb" (use Ki, Mi, Gi, Ti, Pi, Ei, or n, u, m, k, M, G, T, P, E, or an exponent like e3)"#),
        ("1 Gi", #""1 Gi" is not a Kubernetes quantity: unknown suffix " Gi" (use Ki, Mi, Gi, Ti, Pi, Ei, or n, u, m, k, M, G, T, P, E, or an exponent like e3)"#),
    ])
    func rejects(text: String, message: String) {
        #expect(throws: QuantityError.self) { try Quantity(text) }
        do {
            _ = try Quantity(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func rejectsValuesThatDoNotFit() {
        #expect(throws: QuantityError(text: "-1Gi", problem: "it is negative")) { try Quantity.bytes("-1Gi") }
        #expect(throws: QuantityError(text: "16Ei", problem: "it is too large to count in bytes")) {
            try Quantity.bytes("16Ei")
        }
    }

    @Test(arguments: [
        (134_217_728, "128Mi"), (1_073_741_824, "1Gi"), (268_435_456, "256Mi"), (1536, "1536"),
        (1024, "1Ki"), (1_610_612_736, "1536Mi"), (500_000_000, "500000000"), (0, "0"), (100, "100"),
    ] as [(Int64, String)])
    func formatsBytes(bytes: Int64, expected: String) {
        #expect(Quantity.formatBytes(bytes) == expected)
    }

    @Test(arguments: [(500, "500m"), (2000, "2"), (1500, "1500m"), (0, "0"), (100, "100m")] as [(Int64, String)])
    func formatsMillicores(millicores: Int64, expected: String) {
        #expect(Quantity.formatMillicores(millicores) == expected)
    }

    @Test func doublingAMemoryLimitRoundTrips() throws {
        #expect(Quantity.formatBytes(try Quantity.bytes("128Mi") * 2) == "256Mi")
        #expect(Quantity.formatBytes(try Quantity.bytes("768Mi") * 2) == "1536Mi")
    }
}
