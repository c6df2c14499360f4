/// A log that cannot be opened, read, written or parsed. Tampering is not an error: it is the
/// answer `AuditVerifier` gives (`AuditVerification.tampered`).
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable, unwritable, malformed
        /// The log ends in a partial line: appending would bury the damage.
        case truncated
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
