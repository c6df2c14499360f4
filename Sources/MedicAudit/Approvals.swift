import Foundation
import MedicKube

/// The human side of `needs-approval`: what waits for a yes, and recording the yes. Both read
/// the audit log's ledger, the one place proposals live, so `medic approvals` shows exactly
/// what the reconciler will honour on its next pass.
public enum Approvals {
    /// An hour: long enough for a human paged at night to look, short enough that an old
    /// approval is not applied to a cluster that has changed since.
    public static let defaultTTL: TimeInterval = 3600

    /// Something a human can approve: a proposed action, or a target medic stopped acting on.
    public struct Pending: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// A proposed action; approving it lets the reconciler send it.
            case action
            /// A target that needs a human (failed verification, a recurring fault); approving it
            /// lets medic act on the target again.
            case escalation = "needs-human"
        }

        public var id: String
        public var kind: Kind
        public var target: ObjectRef
        /// The command that will be sent (capped if capped); nil for an escalation.
        public var command: String?
        public var reasons: [String]
        public var since: Date
        /// When an action's approval stops being honoured; nil for an escalation (it does not expire).
        public var expires: Date?
    }

    public static func pending(in records: [AuditRecord], now: Date, ttl: TimeInterval = defaultTTL) -> [Pending] {
        pending(in: ActionLedger(records: records), now: now, ttl: ttl)
    }

    public static func pending(in ledger: ActionLedger, now: Date, ttl: TimeInterval = defaultTTL) -> [Pending] {
        let actions = ledger.pendingProposals(now: now, ttl: ttl).map { state in
            Pending(id: state.id, kind: .action, target: state.target, command: state.command, reasons: state.reasons,
                    since: state.proposedAt ?? now, expires: state.proposedAt.map { $0.addingTimeInterval(ttl) })
        }
        let escalations = ledger.escalations.values.sorted { $0.time < $1.time }.map { escalation in
            Pending(id: escalation.id, kind: .escalation, target: escalation.target, command: nil, reasons: escalation.reasons,
                    since: escalation.time, expires: nil)
        }
        return actions + escalations
    }

    /// Appends an `approval` record for `id` by `approver`, after checking that `id` is pending.
    /// Write it while no `medic run` holds the same log open, or approve with the
    /// `medic.io/approve` annotation instead: two writers break the hash chain.
    @discardableResult
    public static func approve(_ id: String, approver: String, log: AuditLog, now: Date,
                               ttl: TimeInterval = defaultTTL) async throws(ApprovalError) -> AuditRecord {
        let ledger = await log.ledger
        guard let item = pending(in: ledger, now: now, ttl: ttl).first(where: { $0.id == id }) else {
            if let state = ledger.actions[id] {
                if state.approvedBy != nil {
                    throw ApprovalError(.notPending, "\(id) was already approved by \(state.approvedBy!)")
                }
                if state.startedAt != nil {
                    throw ApprovalError(.notPending, "\(id) was already sent (\(state.mode?.rawValue ?? "?") mode); nothing to approve")
                }
                if let proposed = state.proposedAt {
                    throw ApprovalError(.expired, "\(id) was proposed at \(RFC3339.format(proposed)) and expired at \(RFC3339.format(proposed.addingTimeInterval(ttl))); medic proposes it again with a new id if it is still needed")
                }
                throw ApprovalError(.notPending, "\(id) did not need approval (verdict \(state.verdict ?? "none"))")
            }
            throw ApprovalError(.unknown, "no proposal or escalation \(id) in \(log.url.path); `medic approvals --audit-log \(log.url.path)` lists them")
        }
        let incident = ledger.actions[id]?.decisionIncident ?? ledger.escalations[id]?.incident ?? ""
        do {
            return try await log.append(.approval(incident: incident, action: id, target: item.target, approver: approver, approved: true,
                                                  requestHash: ledger.actions[id]?.requestHash), at: now)
        } catch {
            throw ApprovalError(.unwritable, error.description)
        }
    }
}

/// Why an approval was not recorded.
public struct ApprovalError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknown, expired, notPending = "not-pending", unwritable
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
