import Foundation
import MedicKube
import MedicPolicy
import MedicRemediation

/// What the audit log says about every action medic has decided, proposed, started,
/// verified or rolled back, replayed record by record. `AuditLog` replays its file into one
/// when it opens and applies every record it appends, so readers never re-parse the file and
/// what medic knows after a restart is exactly what it knew before: the log is the only state.
public struct ActionLedger: Sendable {
    /// One action id's story so far.
    public struct ActionState: Sendable, Equatable {
        public var id: String
        public var incident: String?
        public var target: ObjectRef
        public var actionType: String?
        public var command: String?
        /// The last verdict recorded for it, with the reasons.
        public var verdict: String?
        public var reasons: [String] = []
        public var decidedAt: Date?
        /// The incident the last decision was recorded under: what an approval is filed under.
        public var decisionIncident: String?
        /// Set when the verdict was `needs-approval`: the proposal's time.
        public var proposedAt: Date?
        public var approvedBy: String?
        /// The hash of the command the last needs-approval decision proposed, and of the one
        /// `approvedBy` approved: when they differ the approval is void.
        public var requestHash: String?
        public var approvedHash: String?
        /// Who approved an earlier command of this id: the proposal changed since, so that
        /// approval is void, and an annotation left on the object must not renew it.
        public var voidedApproval: String?
        /// The mode of its intent, once one was written.
        public var mode: Mode?
        public var startedAt: Date?
        /// The state before the change, as `BeforeState` JSON, when it can be restored.
        public var before: String?
        /// The value the applied change left at the before-state's pointer (JSON text).
        public var after: String?
        public var outcomeStatus: Int?
        public var outcomeBody: String?
        public var finishedAt: Date?
        public var verified: Bool?
        public var rolledBack = false

        /// Started in apply mode with no outcome: it may or may not have reached the cluster.
        public var isInFlight: Bool { mode == .apply && startedAt != nil && outcomeStatus == nil }

        /// Applied (or possibly applied: no response came back) and not yet judged. An action
        /// settled by its outcome (`suspend-sync`) never waits.
        public var isAwaitingVerification: Bool {
            guard mode == .apply, verified == nil, let status = outcomeStatus,
                  actionType.flatMap(ActionKind.init(rawValue:))?.descriptor.isVerified ?? true else { return false }
            return (200..<300).contains(status) || (status == 0 && (outcomeBody ?? "").hasPrefix(OutcomeText.noResponse))
        }
    }

    /// A target medic stopped acting on until a human looks (failed verification, a fault that
    /// keeps coming back). Cleared by an approval of its id.
    public struct Escalation: Sendable, Equatable {
        public var id: String
        public var target: ObjectRef
        public var incident: String?
        public var reasons: [String]
        public var time: Date
        /// Who approved it, once someone has.
        public var approvedBy: String? = nil
    }

    public private(set) var actions: [String: ActionState] = [:]
    /// Action ids in the order they first appeared.
    public private(set) var order: [String] = []
    /// Incident id → (runbook, target, closed).
    public private(set) var incidents: [String: (runbook: String, target: ObjectRef, closed: Bool)] = [:]
    public private(set) var escalations: [String: Escalation] = [:]
    /// When a human last approved an escalation on each target: the flap count starts again
    /// there, or the approval would only lead to the same escalation.
    public private(set) var escalationApproved: [ObjectRef: Date] = [:]
    /// Escalations a human approved, by id: no longer open, but their objects say who let
    /// medic act again until they are collected.
    public private(set) var approvedEscalations: [String: Escalation] = [:]
    /// Incident ids, and action ids, by the prefix they share before `-N`: every pass asks
    /// for each finding's, so they are looked up, not searched for.
    private var incidentsByPrefix: [Substring: [String]] = [:]
    private var actionsByPrefix: [Substring: [String]] = [:]
    /// The actions in flight or awaiting verification (few), by their place in `order`: asked
    /// for every finding of every pass, among all the actions ever decided.
    private var unsettledPositions: [String: Int] = [:]
    private var positions: [String: Int] = [:]
    /// How many records the ledger has taken in; the number of the last that changed what is
    /// read about each target (its incidents, decisions and approvals), and of the last that
    /// changed what is read across targets (what was sent, verified, rolled back). See `mark(of:)`.
    public private(set) var recordsTaken = 0
    private var targetChanged: [ObjectRef: Int] = [:]
    private var sharedChanged = 0

    private static func prefix(of id: String) -> Substring {
        id.lastIndex(of: "-").map { id[..<$0] } ?? id[...]
    }

    public init(records: [AuditRecord] = []) {
        for record in records { apply(record) }
    }

    /// Takes one more record into account, in log order.
    public mutating func apply(_ record: AuditRecord) {
        recordsTaken += 1
        switch (record.type, record.target) {
        case (.genesis, _), (.seal, _): break
        case (.finding, let target?), (.decision, let target?), (.approval, let target?): targetChanged[target] = recordsTaken
        default: sharedChanged = recordsTaken
        }
        let payload = record.payload
        if record.type == .finding, let incident = record.incident, let target = record.target, let runbook = payload.runbook {
            if incidents[incident] == nil { incidentsByPrefix[Self.prefix(of: incident), default: []].append(incident) }
            incidents[incident] = (runbook, target, false)
            return
        }
        guard let id = record.action, let target = record.target else { return }
        if record.type == .decision, payload.verdict == Verdict.needsHuman {
            escalations[id] = Escalation(id: id, target: target, incident: record.incident, reasons: payload.reasons ?? [],
                                         time: record.time)
            return
        }
        if record.type == .approval, escalations[id] != nil {
            if payload.approved == true {
                approvedEscalations[id] = escalations[id]
                approvedEscalations[id]?.approvedBy = payload.approver
                escalations[id] = nil
                escalationApproved[target] = record.time
            }
            return
        }
        if actions[id] == nil {
            positions[id] = order.count
            order.append(id)
            actionsByPrefix[Self.prefix(of: id), default: []].append(id)
            actions[id] = ActionState(id: id, incident: record.incident, target: target)
        }
        var state = actions[id]!
        switch record.type {
        case .decision:
            state.actionType = payload.actionType
            state.command = payload.command
            state.verdict = payload.verdict
            state.reasons = payload.reasons ?? []
            state.decidedAt = record.time
            state.decisionIncident = record.incident
            if payload.verdict == "needs-approval", state.proposedAt == nil { state.proposedAt = record.time }
            state.requestHash = payload.requestHash
            if let approver = state.approvedBy, state.approvedHash != payload.requestHash {
                state.voidedApproval = approver
                state.approvedBy = nil
                state.approvedHash = nil
            }
        case .approval:
            if payload.approved == true {
                state.approvedBy = payload.approver
                state.approvedHash = payload.requestHash
            }
        case .intent:
            state.mode = payload.mode.flatMap(Mode.init(rawValue:))
            state.startedAt = record.time
            state.before = payload.detail
        case .outcome:
            if state.outcomeStatus == nil {
                state.outcomeStatus = payload.status
                state.outcomeBody = payload.body
                state.finishedAt = record.time
                state.after = payload.detail
            }
        case .verification:
            state.verified = payload.passed
            if payload.passed == true, let incident = record.incident, let open = incidents[incident] {
                incidents[incident] = (open.runbook, open.target, true)
            }
        case .rollback:
            state.rolledBack = true
        case .genesis, .finding, .seal:
            break
        }
        actions[id] = state
        if state.isInFlight || state.isAwaitingVerification {
            unsettledPositions[id] = positions[id]
        } else {
            unsettledPositions[id] = nil
        }
    }

    /// The number of the last record that changed what this ledger says about `targets`: a
    /// decision made from the ledger about them holds while the mark stays the same.
    ///
    /// A finding, decision or approval record changes what is said about its target alone
    /// (its incidents, its actions' states and approvals, its escalation). Every other record
    /// (an intent, an outcome, a verification, a rollback) changes what is read across targets
    /// (what was sent where and when, which incidents are closed), so it moves every mark.
    public func mark(of targets: some Sequence<ObjectRef>) -> Int {
        targets.reduce(sharedChanged) { max($0, targetChanged[$1] ?? 0) }
    }

    /// The open incident of `runbook` on `target`, if one is open.
    public func openIncident(runbook: String, target: ObjectRef) -> String? {
        let prefix = ActionIdentity.incidentPrefix(runbook: runbook, target: target)
        return incidentsByPrefix[prefix[...]]?.last { incidents[$0]?.closed == false }
    }

    /// A fresh incident id for `runbook` on `target`.
    public func newIncidentID(runbook: String, target: ObjectRef) -> String {
        let prefix = ActionIdentity.incidentPrefix(runbook: runbook, target: target)
        return "\(prefix)-\((incidentsByPrefix[prefix[...]]?.count ?? 0) + 1)"
    }

    /// Every action id with this identity, oldest first.
    public func states(of identity: ActionIdentity) -> [ActionState] {
        (actionsByPrefix[identity.hash[...]] ?? []).compactMap { actions[$0] }
    }

    /// The id the next record about `identity` belongs to: the latest one while it has only
    /// decisions (and, for a proposal, has not expired), else a new one.
    public func currentActionID(for identity: ActionIdentity, now: Date, approvalTTL: TimeInterval) -> String {
        let existing = states(of: identity)
        if let last = existing.last, last.startedAt == nil, !Self.isExpired(last, now: now, ttl: approvalTTL) {
            return last.id
        }
        return identity.actionID(ordinal: existing.count + 1)
    }

    /// How many actions of `identity`'s type, by its runbook, on its target were sent in apply
    /// mode at or after `since` (and after an approved escalation on the target), whatever
    /// their parameters (each OOM fix doubles a different limit).
    public func appliedCount(like identity: ActionIdentity, since: Date) -> Int {
        let since = max(since, escalationApproved[identity.target] ?? since)
        return order.compactMap { actions[$0] }.filter { state in
            guard state.mode == .apply, state.target == identity.target, state.actionType == identity.actionType,
                  let started = state.startedAt, started >= since,
                  let incident = state.incident, incidents[incident]?.runbook == identity.runbook else { return false }
            return true
        }.count
    }

    /// The latest action sent in apply mode to one of `targets` at or after `since` that the
    /// API server accepted and medic did not roll back: a fix whose effect may still be on its way.
    public func lastApplied(on targets: Set<ObjectRef>, since: Date) -> ActionState? {
        order.compactMap { actions[$0] }.last { state in
            guard state.mode == .apply, targets.contains(state.target), let started = state.startedAt, started >= since,
                  let status = state.outcomeStatus, (200..<300).contains(status) else { return false }
            return !state.rolledBack
        }
    }

    /// The action on `target`, or taken for `incident`, that is in flight or waiting for its
    /// verification, if any. The incident counts too because an action can aim elsewhere than
    /// its finding (`delete-pod` deletes a pod of the workload the finding is about).
    public func unsettled(on target: ObjectRef, incident: String? = nil) -> ActionState? {
        // The latest first, as they were decided.
        for (id, _) in unsettledPositions.sorted(by: { $0.value > $1.value }) {
            guard let state = actions[id] else { continue }
            if state.target == target || incident != nil && state.incident == incident { return state }
        }
        return nil
    }

    public var awaitingVerification: [ActionState] {
        order.compactMap { actions[$0] }.filter(\.isAwaitingVerification)
    }

    /// The escalation that stops medic acting on `target`, if one is open.
    public func escalation(on target: ObjectRef) -> Escalation? {
        escalations.values.filter { $0.target == target }.max { $0.time < $1.time }
    }

    public func newEscalationID(for target: ObjectRef) -> String {
        let prefix = "h" + IdentityHash.hex(["escalation", target.kind, target.namespace, target.name])
        let used = Set(escalations.keys) .union(order)
        var ordinal = 1
        while used.contains("\(prefix)-\(ordinal)") { ordinal += 1 }
        return "\(prefix)-\(ordinal)"
    }

    /// Proposals waiting for a human: `needs-approval`, not approved, not started, not expired.
    public func pendingProposals(now: Date, ttl: TimeInterval) -> [ActionState] {
        order.compactMap { actions[$0] }.filter {
            $0.verdict == "needs-approval" && $0.approvedBy == nil && $0.startedAt == nil && !Self.isExpired($0, now: now, ttl: ttl)
        }
    }

    /// An approval is asked for at the proposal's time and honoured for `ttl` after it.
    public static func isExpired(_ state: ActionState, now: Date, ttl: TimeInterval) -> Bool {
        guard let proposed = state.proposedAt else { return false }
        return now >= proposed.addingTimeInterval(ttl)
    }
}

/// Verdict words the act stage writes beyond the gate's four.
public enum Verdict {
    /// medic stops acting on the target until a human approves the escalation's id.
    public static let needsHuman = "needs-human"
    /// A symptom's fix waits for its cause: decided again once the cause is gone.
    public static let waiting = "waiting"
}

/// The wording of outcomes the ledger reads back.
public enum OutcomeText {
    /// Starts the body of an apply whose request got no response: it may have been applied.
    public static let noResponse = "no response to the request"
}
