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
}
