import Testing
import MedicKube

struct ByteSearchTests {
    @Test func findsANeedleAnywhereByteForByte() {
        #expect("postgres://db".containsBytes("://"))
        #expect("aaab".containsBytes("aab"))
        #expect("key".containsBytes("key"))
        #expect("ends with token".containsBytes("token"))
        #expect("naïve café".containsBytes("é"))
        #expect("anything".containsBytes(""))
        #expect(!"tok".containsBytes("token"))
        #expect(!"Token".containsBytes("token"))
        #expect(!"cafe".containsBytes("é"))
        #expect(!"".containsBytes("a"))
    }

    /// Agrees with the standard library's search on texts from a small alphabet, where
    /// partial matches are frequent.
    @Test func agreesWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["a", "b", "ab", "é", ":"]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            let needle = (0..<Int.random(in: 1...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            #expect(text.containsBytes(needle) == (text.utf8.firstRange(of: needle.utf8) != nil), "\(needle) in \(text)")
        }
    }
}
