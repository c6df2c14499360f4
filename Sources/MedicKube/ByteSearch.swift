extension String {
    /// Whether `needle` occurs in the string, byte for byte in UTF-8: no locale rules (as
    /// Foundation's `range(of:)` applies) and no searcher allocated per call (as the standard
    /// library's generic `firstRange(of:)` does). For checks that run on every value of every
    /// workload in each pass.
    public func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { text in
            needle.withUTF8 { pattern in
                guard let first = pattern.first else { return true }
                guard text.count >= pattern.count else { return false }
                var start = 0
                while start <= text.count - pattern.count {
                    if text[start] == first {
                        var matched = 1
                        while matched < pattern.count, text[start + matched] == pattern[matched] { matched += 1 }
                        if matched == pattern.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}
