/// One problem `medic lint` found, printed as compilers do so editors can jump to it:
/// `file:line:col: error: message`.
struct LintDiagnostic: Comparable, CustomStringConvertible {
    enum Severity: String { case error, warning }

    var file: String
    var line: Int
    var column: Int
    var severity: Severity
    var message: String

    var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.message)
    }
}
