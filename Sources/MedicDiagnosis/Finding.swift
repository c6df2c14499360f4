import MedicKube
import MedicRemediation
import MedicRunbook

/// A recognised failure on one object: what it is, the evidence, and what to do about it.
/// Encodes to the `medic advise --output json` contract (DESIGN.md); field names are fixed.
///
/// Its fields live in one shared box, copied on write as an `Array`'s are: every pass hands
/// hundreds of findings from the diagnosis through incidents, the act stage, notifications and
/// the log, and a copy of nine fields was a dozen reference counts (about a tenth of a busy
/// `medic run`'s CPU). Two copies of one finding compare equal at once.
public struct Finding: Sendable, Equatable, Encodable {
    public var runbook: String {
        get { box.runbook }
        _modify { unique(); yield &box.runbook }
    }
    public var severity: Runbook.Severity {
        get { box.severity }
        _modify { unique(); yield &box.severity }
    }
    public var target: ObjectRef {
        get { box.target }
        _modify { unique(); yield &box.target }
    }
    public var summary: String {
        get { box.summary }
        _modify { unique(); yield &box.summary }
    }
    public var evidence: [String] {
        get { box.evidence }
        _modify { unique(); yield &box.evidence }
    }
    public var actions: [ProposedAction] {
        get { box.actions }
        _modify { unique(); yield &box.actions }
    }
    /// Every condition of the runbook with its result, for `explain`-style output.
    public var conditions: [ConditionResult] {
        get { box.conditions }
        _modify { unique(); yield &box.conditions }
    }
    /// Stable within a report: `runbook/Kind/namespace/name`, with `#2`, `#3`… when one
    /// runbook finds several things on one target. Incidents and `causedBy` name findings by it.
    public var id: String {
        get { box.id }
        _modify { unique(); yield &box.id }
    }
    /// The findings that explain this one (see `Incident`): while one of them is open, this
    /// finding is a symptom and `medic run` does not act on it.
    public var causedBy: [String] {
        get { box.causedBy }
        _modify { unique(); yield &box.causedBy }
    }

    private var box: Box

    public init(runbook: String, severity: Runbook.Severity, target: ObjectRef, summary: String, evidence: [String],
                actions: [ProposedAction], conditions: [ConditionResult]) {
        box = Box(runbook: runbook, severity: severity, target: target, summary: summary, evidence: evidence,
                  actions: actions, conditions: conditions, id: "\(runbook)/\(target.kind)/\(target.namespace)/\(target.name)")
    }

    /// Gives this copy a box of its own before it changes, when another copy shares it.
    private mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = box.copy() }
    }

    /// Whether the two are copies of one finding, not merely equal (see `Diagnoser.sharing`).
    func sharesStorage(with other: Finding) -> Bool { box === other.box }

    public static func == (lhs: Finding, rhs: Finding) -> Bool {
        lhs.box === rhs.box || lhs.box.fieldsEqual(rhs.box)
    }

    /// Mutated only through a `Finding` that holds it alone (`unique()`), so sharing it between
    /// tasks shares only values nobody changes.
    private final class Box: @unchecked Sendable {
        var runbook: String
        var severity: Runbook.Severity
        var target: ObjectRef
        var summary: String
        var evidence: [String]
        var actions: [ProposedAction]
        var conditions: [ConditionResult]
        var id: String
        var causedBy: [String] = []

        init(runbook: String, severity: Runbook.Severity, target: ObjectRef, summary: String, evidence: [String],
             actions: [ProposedAction], conditions: [ConditionResult], id: String, causedBy: [String] = []) {
            self.runbook = runbook
            self.severity = severity
            self.target = target
            self.summary = summary
            self.evidence = evidence
            self.actions = actions
            self.conditions = conditions
            self.id = id
            self.causedBy = causedBy
        }

        func copy() -> Box {
            Box(runbook: runbook, severity: severity, target: target, summary: summary, evidence: evidence,
                actions: actions, conditions: conditions, id: id, causedBy: causedBy)
        }

        func fieldsEqual(_ other: Box) -> Bool {
            id == other.id && runbook == other.runbook && severity == other.severity && target == other.target
                && summary == other.summary && evidence == other.evidence && causedBy == other.causedBy
                && actions == other.actions && conditions == other.conditions
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, runbook, severity, target, summary, evidence, actions, conditions, causedBy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(runbook, forKey: .runbook)
        try container.encode(severity.rawValue, forKey: .severity)
        try container.encode(target, forKey: .target)
        try container.encode(summary, forKey: .summary)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(actions, forKey: .actions)
        try container.encode(conditions, forKey: .conditions)
        try container.encode(causedBy, forKey: .causedBy)
    }
}

/// One action of a finding with the decision about it. In advise mode every decision is
/// `proposed`: nothing is sent to the cluster.
public struct ProposedAction: Sendable, Equatable, Encodable {
    public var remediation: Remediation
    public var decision: String

    public var type: String { remediation.action.type }
    /// The command to paste, secret values masked (`Remediation.redactedCommand`).
    public var command: String? { remediation.redactedCommand }

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
public struct UndecidedCheck: Sendable, Equatable, Encodable {
    public var runbook: String
    public var target: ObjectRef
    public var conditions: [ConditionResult]
}

/// Everything one diagnosis produced.
public struct DiagnosisReport: Sendable, Encodable {
    public var findings: [Finding]
    public var undecided: [UndecidedCheck]
    /// The findings grouped by cause, root causes first (see `Incident`).
    public var incidents: [Incident]
    /// The graph the incidents were grouped on (nil without findings), for the act stage to
    /// read rather than build again. Not part of the report's JSON.
    public var graph: ServiceGraph?

    public init(findings: [Finding], undecided: [UndecidedCheck], incidents: [Incident] = [], graph: ServiceGraph? = nil) {
        self.findings = findings
        self.undecided = undecided
        self.incidents = incidents
        self.graph = graph
    }

    enum CodingKeys: String, CodingKey { case findings, undecided = "unknown", incidents }
}
