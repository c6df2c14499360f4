/// Text from the cluster (logs, termination messages, Event messages) shown on a terminal.
/// A container can write escape sequences into its log: printed raw, they could move the
/// cursor, rewrite lines above or retitle the window of the person reading medic's answer.
/// Every control character but newline and tab is shown as a visible `\x1b`-style escape.
public enum TerminalText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                output.append(contentsOf: (scalar.value < 0x100 ? "\\x" + (hex.count == 1 ? "0" : "") + hex : "\\u{\(hex)}").unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// C0 and C1 controls and DEL, but not newline and tab, which keep the layout.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
    }
}
