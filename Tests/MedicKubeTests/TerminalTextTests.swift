import MedicKube
import Testing

@Suite struct TerminalTextTests {
    @Test func escapeSequencesFromALogAreShownNotObeyed() {
        #expect(TerminalText.escaped("FATAL \u{1B}[2J\u{1B}]0;owned\u{07} bye\r") == #"FATAL \x1b[2J\x1b]0;owned\x07 bye\x0d"#)
        #expect(TerminalText.escaped("C1 \u{9B}31m and DEL \u{7F}") == #"C1 \x9b31m and DEL \x7f"#)
    }

    @Test func newlinesTabsAndOtherTextStay() {
        let text = "line one\n\tindented: naïve ✓ 日本\n"
        #expect(TerminalText.escaped(text) == text)
    }
}
