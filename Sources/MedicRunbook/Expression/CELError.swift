/// A problem in a runbook expression, pointing at the exact character that caused it.
///
/// Positions are relative to the expression (or template) source so that the runbook loader
/// can shift them to `file:line:col` in the YAML file the author is editing.
public struct CELError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Hashable {
        /// The text is not a valid expression; found once, when the expression is parsed.
        case syntax
        /// The expression is valid but failed on these inputs (missing key, wrong type, overflow…).
        case evaluation
    }

    /// Where in the source the problem is: `offset` counts characters from 0, `line` and
    /// `column` count from 1.
    public struct Position: Sendable, Hashable {
        public let offset: Int
        public let line: Int
        public let column: Int

        public init(offset: Int, line: Int, column: Int) {
            self.offset = offset
            self.line = line
            self.column = column
        }

        /// Computes line and column of a character offset in `source`.
        public init(offset: Int, in source: String) {
            var line = 1
            var column = 1
            for character in source.prefix(offset) {
                if character == "\n" || character == "\r\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            self.init(offset: offset, line: line, column: column)
        }
    }

    public let kind: Kind
    public let message: String
    public private(set) var position: Position
    /// False while an error raised by a function body waits for the call site to give it a place.
    private var isPlaced: Bool

    public var offset: Int { position.offset }
    public var line: Int { position.line }
    public var column: Int { position.column }

    public var description: String { "\(position.line):\(position.column): \(message)" }

    public init(kind: Kind, message: String, position: Position) {
        self.kind = kind
        self.message = message
        self.position = position
        self.isPlaced = true
    }

    /// An evaluation error raised inside a function registered in a `CELFunctionTable`; the
    /// evaluator attaches the position of the call.
    public static func evaluation(_ message: String) -> CELError {
        var error = CELError(kind: .evaluation, message: message, position: Position(offset: 0, line: 1, column: 1))
        error.isPlaced = false
        return error
    }

    /// An error at a character offset whose line and column are resolved later by `located(in:)`.
    static func at(_ offset: Int, _ kind: Kind, _ message: String) -> CELError {
        CELError(kind: kind, message: message, position: Position(offset: offset, line: 0, column: 0))
    }

    /// Gives an error from a function body the position of its call; keeps any other position.
    func placed(at offset: Int) -> CELError {
        guard !isPlaced else { return self }
        return .at(offset, kind, message)
    }

    /// Fills in line and column for the offset, measured in `source` after shifting by `base`
    /// characters (templates shift errors of their embedded expressions this way).
    func located(in source: String, shiftedBy base: Int = 0) -> CELError {
        var copy = self
        copy.position = Position(offset: position.offset + base, in: source)
        copy.isPlaced = true
        return copy
    }

    /// A `no such overload: name(type, type)` error for a function applied to unsupported types.
    public static func noOverload(_ function: String, _ arguments: [CELValue]) -> CELError {
        .evaluation("no such overload: \(function)(\(arguments.map(\.typeName).joined(separator: ", ")))")
    }
}
