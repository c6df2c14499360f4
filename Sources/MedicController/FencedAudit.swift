import Foundation
import MedicAudit
import MedicKube

/// Why a record of the pass was not appended: the fence refused (this replica may no longer
/// lead, so it records nothing it might not have done), or the log could not be written.
enum FencedAppendError: Error, Sendable, CustomStringConvertible {
    case fenced(FenceError)
    case failed(AuditError)
    /// In the log, but its Remediation object could not be written.
    case unmirrored(KubeAPIError)

    var description: String {
        switch self {
        case .fenced(let error): "not recorded, this replica may no longer lead: \(error.description)"
        case .failed(let error): error.description
        case .unmirrored(let error): "recorded in the audit log, but not in its Remediation object: \(error.description)"
        }
    }
}

extension AuditLog {
    /// Appends `event` if `fence` (nil: no leader election) still holds: only the leader writes
    /// the audit log. A record of an action then goes to its Remediation object in `remediations`
    /// (nil: the CRD is not installed, the log is the only state).
    nonisolated func append(_ event: AuditEvent, at time: Date, fence: (any WriteFence)?,
                            remediations: RemediationStore?) async throws(FencedAppendError) {
        if let fence {
            do {
                try await fence.check()
            } catch {
                throw .fenced(error)
            }
        }
        let record: AuditRecord
        let line: Data
        do {
            record = try await append(event, at: time)
            line = try record.line()
        } catch {
            throw .failed(error)
        }
        guard let remediations, record.action != nil || record.type == .finding else { return }
        do {
            try await remediations.mirror(record, line: String(decoding: line, as: UTF8.self), ledger: await ledger, fence: fence)
        } catch {
            await remediations.noteFailure("the \(record.type.rawValue) of \(record.action ?? record.incident ?? "a finding") "
                                           + "is in the audit log but not in its Remediation object: \(error.description)")
            throw .unmirrored(error)
        }
    }
}
