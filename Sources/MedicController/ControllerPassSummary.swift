import Foundation

/// What the loop needs to know about one observe → … → record pass: enough for the metrics
/// and the log line, nothing about how the pass did its work. The act stage's report maps
/// onto it, and tests build it directly to drive the loop.
public struct ControllerPassSummary: Sendable, Hashable {
    /// One action the pass carried out (or tried to).
    public struct Action: Sendable, Hashable {
        /// The action type: `rollout-restart`, `set-env`, …
        public var type: String
        /// `succeeded`, `failed`, `dry-run`, `rolled-back`, …
        public var result: String

        public init(type: String, result: String) {
            self.type = type
            self.result = result
        }
    }

    public var findings: Int
    public var actions: [Action]
    /// The policy rule of every refusal: `namespace`, `rate-limit`, `freeze`, …
    public var denialReasons: [String]
    /// When the cluster was read; nil when the observation itself failed.
    public var observationTime: Date?
    /// Problems that did not stop the pass (a failed query, a failed request), as messages.
    public var errors: [String]
    /// The first failure to write medic's state (the audit log) this pass; nil when every
    /// record was written. A replica that cannot record cannot keep its promises: not ready.
    public var stateError: String?
    /// What the observation could not read (logs, optional kinds), one line per kind.
    public var warnings: [String] = []
    /// The targets the runbooks were evaluated on (`PassReport.diagnosed`).
    public var diagnosed = 0

    public init(
        findings: Int = 0, actions: [Action] = [], denialReasons: [String] = [], observationTime: Date? = nil,
        errors: [String] = []
    ) {
        self.findings = findings
        self.actions = actions
        self.denialReasons = denialReasons
        self.observationTime = observationTime
        self.errors = errors
    }

    /// The pass saw the cluster and everything it did went through.
    public var succeeded: Bool { observationTime != nil && errors.isEmpty }
}

extension ControllerPassSummary {
    /// What the metrics count from a reconcile pass: executions by action type and result,
    /// and every rule behind a denial (`rate-limit: …` counts as `rate-limit`).
    public init(_ report: PassReport) {
        let observed = !report.errors.contains { $0.stage == .observe }
        self.init(
            findings: report.findings.count,
            actions: report.executions.map { Action(type: $0.remediation.action.type, result: Self.label($0.result)) },
            denialReasons: report.decisions.filter { $0.verdict == .denied }.flatMap { decision in
                decision.reasons.map { reason in String(reason.prefix { $0 != ":" }) }
            },
            observationTime: observed ? report.observationTime : nil,
            errors: report.errors.map(\.description))
        stateError = report.errors.first { $0.stage == .audit || $0.stage == .remediation }?.description
        warnings = report.warnings
        diagnosed = report.diagnosed
    }

    private static func label(_ result: ExecutionResult) -> String {
        switch result {
        case .applied: "applied"
        case .dryRunAccepted: "dry-run-accepted"
        case .alreadyInPlace: "already-in-place"
        case .conflict: "conflict"
        case .deferred: "deferred"
        case .failed: "failed"
        case .unknown: "unknown"
        case .notSent: "not-sent"
        }
    }
}
