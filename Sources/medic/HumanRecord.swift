import Foundation
import MedicAudit

/// What `medic approve` and `medic audit resolve` share: a named human appending one record
/// to the audit log medic run writes.
enum HumanRecord {
    /// `given`, else `$USER`; `verb` says what they do, for the error (`approves`).
    static func person(_ given: String?, verb: String) throws -> String {
        let name = given ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        guard !name.isEmpty else { throw InputError(description: "medic: say who \(verb) with --as NAME ($USER is not set)") }
        return name
    }

    /// The existing log at `path`, opened for one append.
    static func log(at path: String) throws -> AuditLog {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(description: "medic: no audit log at \(path); pass the file medic run writes")
        }
        do {
            return try AuditLog(url: URL(fileURLWithPath: path), name: "medic")
        } catch {
            throw InputError(description: "medic: \(error)")
        }
    }
}
