/// A problem in a file medic loads (runbook, policy, test), located the way editors and
/// compilers do: `file:line:col: field: message`, so an author can jump straight to it.
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The field path inside the document, e.g. `detect[0].cel`; empty for the whole file.
    public var field: String
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        // Line 0: the file as a whole (missing, a directory), which has no position.
        let location = line == 0 ? file : "\(file):\(line):\(column)"
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
