import Foundation
import MedicKube

/// What became of one action sent (or not) by the act stage: one value, as a controller's
/// reconcile returns one outcome, so the loop and the report never combine flags.
public enum ExecutionResult: Sendable, Equatable {
    /// The real request succeeded; the action now waits for its verification.
    case applied
    /// Dry-run mode: the server accepted it with `dryRun=All`; nothing changed.
    case dryRunAccepted
    /// The re-read object already has the change: nothing was sent (kubectl would send nothing either).
    case alreadyInPlace
    /// 409: the object changed since it was read. Not retried; the next pass re-reads and decides again.
    case conflict(String)
    /// 429: the server asked to wait; the target is left alone until `until`.
    case deferred(until: Date, String)
    /// The server refused or failed (a 4xx/5xx, or the dry run refused it). Recorded, not retried.
    case failed(status: Int, String)
    /// No response to the real request: it may have been applied, so it is verified as if it was.
    case unknown(String)
    /// Nothing was sent: the target could not be re-read, the request not rendered, or the intent not written.
    case notSent(String)

    /// One line for reports and outcome records.
    public var summary: String {
        switch self {
        case .applied: "applied"
        case .dryRunAccepted: "accepted by the server-side dry run; nothing changed"
        case .alreadyInPlace: "already in place; nothing sent"
        case .conflict(let message): "conflict: \(message)"
        case .deferred(let until, let message): "deferred until \(RFC3339.format(until)): \(message)"
        case .failed(let status, let message): "failed (\(status)): \(message)"
        case .unknown(let message): message
        case .notSent(let message): "not sent: \(message)"
        }
    }
}

/// What became of a rollback.
public enum RollbackResult: Sendable, Equatable {
    case restored(String)
    /// The action has nothing to restore to (`delete-pod`, or no recorded before-state).
    case irreversible(String)
    case failed(String)
}
