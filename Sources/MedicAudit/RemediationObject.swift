import Foundation
import MedicKube

/// One action as the cluster keeps it: a `remediations.medic.io` object beside its target,
/// named after the action id. Its status carries the audit records of that action, line for
/// line, so a medic starting on an empty disk (a new pod, a failover, a config roll) rebuilds
/// its ledger from these objects, and people see and approve actions with kubectl.
public struct RemediationObject: KubeObject, Equatable {
    public static let resource = KubeResource(group: "medic.io", version: "v1", plural: "remediations", kind: "Remediation",
                                              namespaced: true)
    /// The label every Remediation carries: the action id it records.
    public static let actionLabel = "medic.io/action"

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public struct Spec: Codable, Sendable, Equatable {
        public var target: Target
        public var incident: String?
        public var runbook: String?
        /// The action type (`set-env`), or `escalation` for a target handed to a human.
        public var action: String
        /// The command as the log recorded it, secrets masked.
        public var command: String?
    }

    public struct Target: Codable, Sendable, Equatable {
        public var kind: String
        public var namespace: String
        public var name: String

        public init(kind: String, namespace: String, name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }
    }

    public struct Status: Codable, Sendable, Equatable {
        /// Where the action stands (`Phase`), as `kubectl get remediations` shows it.
        public var phase: String
        public var verdict: String?
        public var reasons: [String]?
        public var mode: String?
        /// The API server's answer: `200 applied`, `422 …`.
        public var outcome: String?
        public var verified: Bool?
        public var approvedBy: String?
        /// The time of its latest record (RFC 3339): what retention counts from.
        public var updated: String
        /// The action's audit records, each exactly as the log wrote it.
        public var records: [String]
    }

    /// Where an action stands, from its ledger state.
    public enum Phase: String, Sendable {
        case proposed = "Proposed", awaitingApproval = "AwaitingApproval", approved = "Approved", denied = "Denied"
        case waiting = "Waiting", inFlight = "InFlight", dryRun = "DryRun", applied = "Applied", failed = "Failed"
        case verified = "Verified", rolledBack = "RolledBack", verificationFailed = "VerificationFailed"
        case needsHuman = "NeedsHuman"
        /// A `notify` the policy allowed: it sends nothing, so it ends here.
        case notified = "Notified"

        init(_ state: ActionLedger.ActionState) {
            if let status = state.outcomeStatus {
                guard (200..<300).contains(status) || state.mode != .apply else { self = .failed; return }
                if state.mode != .apply { self = .dryRun; return }
                switch state.verified {
                case true: self = .verified
                case false: self = state.rolledBack ? .rolledBack : .verificationFailed
                default: self = .applied
                }
                return
            }
            if state.startedAt != nil { self = .inFlight; return }
            switch state.verdict {
            case "needs-approval": self = state.approvedBy == nil ? .awaitingApproval : .approved
            case "denied": self = .denied
            case "waiting", "blocked": self = .waiting
            default: self = state.actionType == "notify" ? .notified : .proposed
            }
        }
    }

    /// The object's name for action `id`: `medic-` and the id, a valid DNS label.
    public static func name(for id: String) -> String { "medic-\(id)" }

    /// The object recording action `id` with `records`, its state taken from `ledger`; nil
    /// when the ledger knows no such action or escalation.
    public init?(action id: String, records: [String], updated: Date, ledger: ActionLedger) {
        let spec: Spec
        let status: Status
        let stamp = RFC3339.format(updated)
        if let escalation = ledger.escalations[id] {
            spec = Spec(target: Target(escalation.target), incident: escalation.incident,
                        runbook: escalation.incident.flatMap { ledger.incidents[$0]?.runbook }, action: "escalation")
            status = Status(phase: Phase.needsHuman.rawValue, verdict: Verdict.needsHuman, reasons: escalation.reasons,
                            updated: stamp, records: records)
        } else if let escalation = ledger.approvedEscalations[id] {
            spec = Spec(target: Target(escalation.target), incident: escalation.incident,
                        runbook: escalation.incident.flatMap { ledger.incidents[$0]?.runbook }, action: "escalation")
            status = Status(phase: Phase.approved.rawValue, verdict: Verdict.needsHuman, reasons: escalation.reasons,
                            approvedBy: escalation.approvedBy, updated: stamp, records: records)
        } else if let state = ledger.actions[id] {
            let incident = state.decisionIncident ?? state.incident
            spec = Spec(target: Target(state.target), incident: incident, runbook: incident.flatMap { ledger.incidents[$0]?.runbook },
                        action: state.actionType ?? "unknown", command: state.command)
            status = Status(phase: Phase(state).rawValue, verdict: state.verdict, reasons: state.reasons.isEmpty ? nil : state.reasons,
                            mode: state.mode?.rawValue, outcome: state.outcomeStatus.map { "\($0) \(state.outcomeBody ?? "")" },
                            verified: state.verified, approvedBy: state.approvedBy, updated: stamp, records: records)
        } else {
            return nil
        }
        apiVersion = Self.resource.apiVersion
        kind = Self.resource.kind
        metadata = ObjectMeta(name: Self.name(for: id), namespace: spec.target.namespace,
                              labels: [Self.actionLabel: id, "app.kubernetes.io/managed-by": "medic"])
        self.spec = spec
        self.status = status
    }
}

extension RemediationObject.Target {
    init(_ ref: ObjectRef) {
        self.init(kind: ref.kind, namespace: ref.namespace, name: ref.name)
    }
}
