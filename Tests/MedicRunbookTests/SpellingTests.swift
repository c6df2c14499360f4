import Testing
@testable import MedicRunbook

@Suite struct SpellingTests {
    @Test("edit distance is exact up to its limit, and above it once every path is")
    func editDistanceWithALimit() {
        #expect(Spelling.editDistance("kitten", "sitting") == 3)
        #expect(Spelling.editDistance("kitten", "sitting", limit: 3) == 3)
        #expect(Spelling.editDistance("kitten", "sitting", limit: 1) > 1)
        #expect(Spelling.editDistance("payments", "payment", limit: 2) == 1)
        #expect(Spelling.editDistance("", "abc", limit: 1) == 3)
        // Every pair of short words: the limit never changes an answer within it.
        let words = ["web", "webs", "wbe", "db", "api", "apis", "cart", "card", "carts", ""]
        for a in words {
            for b in words {
                let exact = Spelling.editDistance(a, b)
                let limited = Spelling.editDistance(a, b, limit: 2)
                #expect(exact <= 2 ? limited == exact : limited > 2, "\(a) → \(b)")
            }
        }
    }

    @Test func theClosestWordWithinAThirdOfItsLength() {
        #expect(Spelling.closest(to: "selctor", among: ["selector", "severity"]) == "selector")
        #expect(Spelling.closest(to: "zzz", among: ["selector"]) == nil)
    }
}
