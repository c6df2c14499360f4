/// A compiled regular expression for `matches`, shared by every evaluation of a parsed expression.
///
/// Swift `Regex` is immutable once built but not declared `Sendable`; its lazily lowered
/// program is initialised atomically by the standard library, so sharing it across tasks is safe.
final class CELRegex: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern` with Unicode-scalar semantics, which matches RE2 treating a string as
    /// code points (`.` is one code point, not one grapheme cluster).
    init(_ pattern: String) throws(CELError) {
        self.pattern = pattern
        do {
            regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw .evaluation("invalid regular expression '\(pattern)': \(error)")
        }
    }

    /// RE2 `matches` semantics: true when the pattern matches anywhere in `text`; anchor with `^…$`.
    func matches(_ text: String) -> Bool {
        text.contains(regex)
    }
}
