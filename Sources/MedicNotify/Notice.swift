import Foundation
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRunbook

/// One thing medic tells people: an incident opened, a fix awaiting approval, an action sent,
/// a verification, an escalation, an incident over. Built by the controller from a pass's
/// report (`PassNotifications`), each at most once; every text in it is already masked.
public struct Notice: Sendable {
    public var event: NotificationEvent
    /// The audit log's incident id: stable across passes and restarts, so it is PagerDuty's
    /// dedup key and what a reader greps the audit log for.
    public var incident: String
    public var severity: Runbook.Severity
    /// The finding's object (for an action, the object the finding is about).
    public var target: ObjectRef
    public var runbook: String
    public var time: Date
    /// The answer first, one line: `auth-service is OOMKilled: …`.
    public var headline: String
    public var evidence: [String]
    /// Findings this one explains, one line each (a root cause's symptoms).
    public var symptoms: [String]
    /// The finding that explains this one, when it is a symptom.
    public var causedBy: [String]
    /// The command medic ran or proposes, secret values masked.
    public var command: String?
    public var actionID: String?
    /// How a human approves, one command per line, for proposals and escalations.
    public var approval: [String]
    /// What happened to an action or its check: `applied`, `refused by the server: …`, `fixed`.
    public var result: String?
    /// The finding as `medic advise --output json` prints it, for the JSON webhook.
    public var finding: Finding?

    public init(event: NotificationEvent, incident: String, severity: Runbook.Severity, target: ObjectRef, runbook: String,
                time: Date, headline: String, evidence: [String] = [], symptoms: [String] = [], causedBy: [String] = [],
                command: String? = nil, actionID: String? = nil, approval: [String] = [], result: String? = nil,
                finding: Finding? = nil) {
        self.event = event
        self.incident = incident
        self.severity = severity
        self.target = target
        self.runbook = runbook
        self.time = time
        self.headline = Redaction.redact(headline)
        self.evidence = evidence.map(Redaction.redact)
        self.symptoms = symptoms.map(Redaction.redact)
        self.causedBy = causedBy
        self.command = command.map(Redaction.redact)
        self.actionID = actionID
        self.approval = approval
        self.result = result.map(Redaction.redact)
        self.finding = finding
    }

    /// `Deployment production/auth-service`.
    var targetText: String { "\(target.kind) \(target.namespace)/\(target.name)" }

    /// A short title per event, for Slack's header and PagerDuty's summary.
    var title: String {
        switch event {
        case .finding: causedBy.isEmpty ? "Root cause: \(runbook) on \(targetText)" : "Symptom: \(runbook) on \(targetText)"
        case .proposal: "Approval needed: \(runbook) on \(targetText)"
        case .action: "Action \(result ?? "sent"): \(runbook) on \(targetText)"
        case .verification: "Fixed: \(runbook) on \(targetText)"
        case .escalation: "Needs a human: \(targetText)"
        case .resolved: "Resolved: \(runbook) on \(targetText)"
        }
    }
}
