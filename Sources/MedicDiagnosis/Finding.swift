import MedicKube
import MedicRemediation
import MedicRunbook

/// A recognised failure on one object: what it is, the evidence, and what to do about it.
/// Encodes to the `medic advise --output json` contract (DESIGN.md); field names are fixed.
public struct Finding: Sendable, Encodable {
    public var runbook: String
    public var severity: Runbook.Severity
    public var target: ObjectRef
    public var summary: String
    public var evidence: [String]
    public var actions: [ProposedAction]
    /// Every condition of the runbook with its result, for `explain`-style output.
    public var conditions: [ConditionResult]

    enum CodingKeys: String, CodingKey { case runbook, severity, target, summary, evidence, actions, conditions }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runbook, forKey: .runbook)
        try container.encode(severity.rawValue, forKey: .severity)
        try container.encode(target, forKey: .target)
        try container.encode(summary, forKey: .summary)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(actions, forKey: .actions)
        try container.encode(conditions, forKey: .conditions)
    }
}

/// One action of a finding with the decision about it. In advise mode every decision is
/// `proposed`: nothing is sent to the cluster.
public struct ProposedAction: Sendable, Encodable {
    public var remediation: Remediation
    public var decision: String

    public var type: String { remediation.action.type }
    public var command: String? { remediation.kubectlCommand }

    enum CodingKeys: String, CodingKey { case type, command, decision, message }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(command, forKey: .command)
        try container.encode(decision, forKey: .decision)
        if let message = remediation.action.as(Notify.self)?.message {
            try container.encode(message, forKey: .message)
        }
    }
}

/// A runbook that could not be decided for a target because a condition it needs is unknown
/// (Prometheus down, series missing, an expression error). Reported so that silence is never
/// mistaken for health.
public struct UndecidedCheck: Sendable, Encodable {
    public var runbook: String
    public var target: ObjectRef
    public var conditions: [ConditionResult]
}

/// Everything one diagnosis produced.
public struct DiagnosisReport: Sendable, Encodable {
    public var findings: [Finding]
    public var undecided: [UndecidedCheck]

    enum CodingKeys: String, CodingKey { case findings, undecided = "unknown" }
}
