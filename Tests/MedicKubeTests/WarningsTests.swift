import Testing
@testable import MedicKube

/// Warnings are printed once, after the answer, one line per kind.
@Suite struct WarningsTests {
    @Test func repeatedWarningsAreOneLineWithACount() {
        var warnings = Warnings()
        warnings.add(#"medic cannot get logs of pods "a-1" in namespace "shop": HTTP 400 BadRequest"#)
        warnings.add(#"medic cannot get logs of pods "b-2" in namespace "shop": HTTP 400 BadRequest"#)
        warnings.add("something else")
        #expect(warnings.text == #"medic: warning: medic cannot get logs of pods "a-1" in namespace "shop": HTTP 400 BadRequest"#
            + " (and 1 more like it)\nmedic: warning: something else\n")
    }

    /// Names in quotes and numbers are what varies between warnings of one kind; the rest is
    /// the kind. ASCII is read byte by byte, anything else scalar by scalar, to the same rule.
    @Test func kindBlanksQuotedNamesAndNumbers() {
        #expect(Warnings.kind(of: #"cannot get logs of "a-1" after 3 tries: HTTP 503"#)
            == "cannot get logs of … after # tries: HTTP ###")
        #expect(Warnings.kind(of: #"an "unterminated quote 42"#) == "an …")
        #expect(Warnings.kind(of: "") == "")
        // Non-ASCII: other scripts' digits and fractions are numbers too; other letters stay.
        #expect(Warnings.kind(of: #"pod "á-1" restarted ٣ times, ½ of them é 7"#) == "pod … restarted # times, # of them é #")
    }
}
