import ArgumentParser
import Foundation
import MedicAudit

/// What `medic approve` and `medic audit resolve` share: a named human's word, appended to an
/// audit log or put on a Remediation object in the cluster (`RemediationAnnotation`).
enum HumanRecord {
    /// Exactly one of `--audit-log` and `--cluster`; cluster flags only with `--cluster`.
    static func validate(auditLog: String?, cluster: Bool, clusterOptions: ClusterOptions) throws {
        switch (auditLog, cluster) {
        case (nil, false):
            throw ValidationError("say where to record it: --cluster (the Remediation object medic run reads) or --audit-log FILE")
        case (_?, true):
            throw ValidationError("--audit-log and --cluster are two places to record it: pass one")
        case (_?, false) where clusterOptions.isSet:
            throw ValidationError("--kubeconfig and --context need --cluster")
        default:
            break
        }
    }

    /// Runs `annotate`; a refusal is exit code 1 with its message, as for a log.
    static func annotating(_ annotate: () async throws -> String) async throws -> String {
        do {
            return try await annotate()
        } catch let refusal as RemediationAnnotation.Refusal {
            FileHandle.standardError.write(Data("\(refusal)\n".utf8))
            throw ExitCode(1)
        }
    }

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
