import Foundation
import MedicAudit
import MedicKube

/// Why a record of the pass was not appended: the fence refused (this replica may no longer
/// lead, so it records nothing it might not have done), or the log could not be written.
enum FencedAppendError: Error, Sendable, CustomStringConvertible {
    case fenced(FenceError)
    case failed(AuditError)

    var description: String {
        switch self {
        case .fenced(let error): "not recorded, this replica may no longer lead: \(error.description)"
        case .failed(let error): error.description
        }
    }
}

extension AuditLog {
    /// Appends `event` if `fence` (nil: no leader election) still holds: only the leader writes
    /// the audit log.
    nonisolated func append(_ event: AuditEvent, at time: Date, fence: (any WriteFence)?) async throws(FencedAppendError) {
        if let fence {
            do {
                try await fence.check()
            } catch {
                throw .fenced(error)
            }
        }
        do {
            _ = try await append(event, at: time)
        } catch {
            throw .failed(error)
        }
    }
}
