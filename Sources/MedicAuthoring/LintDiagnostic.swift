/// One problem `medic lint` found, printed as compilers do so editors can jump to it:
/// `file:line:col: error: message`.
public struct LintDiagnostic: Comparable, CustomStringConvertible {
    public enum Severity: String { case error, warning }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.message)
    }
}
