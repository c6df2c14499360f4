import Foundation

/// One `runbooks/tests/*.yaml` file: the runbooks it exercises and its test cases, read
/// strictly by `RunbookTestLoader`. Paths are already resolved against the test file's folder.
public struct RunbookTestFile: Sendable {
    public var file: String
    /// Runbook files under test, absolute.
    public var runbooks: [String]
    /// The policy file the tests' decisions are judged by, absolute; a test may name its own.
    public var policy: String?
    public var tests: [RunbookTest]
}

/// One case: a cluster state, metric history, an evaluation instant, and what medic must conclude.
public struct RunbookTest: Sendable {
    public var name: String
    public var file: String
    public var line: Int
    public var evalTime: Date
    /// `kubectl get -o json` files, absolute, read in order; inline objects come after them.
    public var snapshots: [String]
    /// The inline manifests with the defaults filled in, as one JSON `List`; nil when there are none.
    public var inlineObjects: Data?
    public var metrics: [MetricInput]
    public var inputSeries: [InputSeries]
    /// The policy file (absolute) whose decisions `decision:` expectations check; nil when the
    /// test checks no decisions.
    public var policy: String?
    public var expectation: Expectation

    /// Values of a runbook's metric condition for one target, judged by medic's own window
    /// logic with no Prometheus. The last point sits at `evalTime`, earlier ones `interval` apart.
    public struct MetricInput: Sendable {
        public var condition: String
        public var labels: [String: String]
        public var points: [SeriesNotation.Point]
        /// nil: the condition's `step`.
        public var interval: Double?
        public var line: Int
    }

    /// A raw series in promtool's notation, loaded into a real Prometheus (`medic test --prometheus`)
    /// so the runbook's own PromQL is evaluated. The last point sits at `evalTime`.
    public struct InputSeries: Sendable {
        public var metric: String
        public var labels: [String: String]
        public var points: [SeriesNotation.Point]
        public var interval: Double
    }

    public struct Expectation: Sendable {
        /// nil: findings are not checked (only with `expect_unknown`); empty: `expect_no_findings`.
        public var findings: [ExpectedFinding]?
        /// nil: undecided checks are not compared.
        public var unknown: [ExpectedUnknown]?
    }

    public struct ExpectedFinding: Sendable {
        public var runbook: String?
        public var target: TargetPattern?
        public var severity: Runbook.Severity?
        public var summary: String?
        public var summaryContains: [String]
        public var evidenceContains: [String]
        /// nil: actions are not checked; otherwise exactly these, in order.
        public var actions: [ExpectedAction]?
        public var line: Int
    }

    public struct ExpectedAction: Sendable {
        public var type: String
        public var command: String?
        public var commandContains: [String]
        public var messageContains: [String]
        /// What the test's policy must decide about this action; nil: not checked.
        public var decision: ExpectedDecision?
        /// Substrings each of which some reason of the decision (`rule: message`) must contain.
        public var reasonContains: [String]
    }

    /// The gate's verdicts in the words `medic advise` and the audit log print.
    public enum ExpectedDecision: String, Sendable, CaseIterable {
        case allowed
        case capped
        case needsApproval = "needs-approval"
        case denied

        /// Also accepted in test files: the names of the gate's answers.
        static let aliases: [String: ExpectedDecision] = ["allow": .allowed, "deny": .denied]
    }

    public struct ExpectedUnknown: Sendable {
        public var runbook: String?
        public var target: TargetPattern?
        /// Condition ids that must be unknown (others may be anything).
        public var conditions: [String]
        public var line: Int
    }

    /// `Deployment production/cart`, `production/cart`, or `cart`: what is written must match.
    public struct TargetPattern: Sendable, CustomStringConvertible {
        public var kind: String?
        public var namespace: String?
        public var name: String

        public func matches(kind: String, namespace: String, name: String) -> Bool {
            name == self.name && (self.kind.map { $0 == kind } ?? true)
                && (self.namespace.map { $0 == namespace } ?? true)
        }

        public var description: String {
            [kind, [namespace, name].compactMap { $0 }.joined(separator: "/")].compactMap { $0 }
                .joined(separator: " ")
        }
    }
}
