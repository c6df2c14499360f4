import MedicKube
import MedicRemediation

/// One failure pattern medic knows: what it looks for, why it matters, and what fixes it.
/// Loaded from a YAML file under `runbooks/`; see docs/runbooks.md for the format.
public struct Runbook: Sendable {
    public var id: String
    public var severity: Severity
    public var title: String
    public var description: String
    /// How specific its explanation is. On one target, a finding of a more specific layer
    /// replaces those of more generic ones: a bad-image finding replaces the bad-rollout one,
    /// which replaces the triage floor's "this workload is unhealthy".
    public var layer: Layer
    /// Causes that, when found, explain this runbook's finding as their symptom
    /// (`metadata.explainedBy`): a crash loop or a slow caller may only be its dependency's
    /// failure showing. Triage and symptom runbooks are always explained by a failing dependency,
    /// and symptom runbooks by a fault on their own target too.
    public var explainedBy: Set<Cause>
    /// Alertmanager alert names (`metadata.triggers`, the `alertname` label) whose firing this
    /// runbook answers: medic diagnoses the alert's objects at once and reports this runbook's
    /// findings on them as the alert's answer.
    public var triggers: [String]
    public var target: TargetKind
    /// `each: c in workload.containers`: one finding per element for which the conditions hold.
    public var each: Iteration?
    public var conditions: [Condition]
    /// Named values computed once the conditions hold, for the summary, evidence and actions.
    public var bindings: [Binding]
    public var summary: Template
    public var evidence: [Template]
    /// Tried in order; the first whose `when` holds (or that has none) supplies the actions.
    public var remediation: [RemediationOption]
    /// How long after an action the symptom may take to clear (`verify: {within: 10m}`); nil
    /// leaves it to the act stage's default.
    public var verification: Verification?
    /// The file it came from, for messages.
    public var file: String

    /// What "fixed" means for this runbook: the finding is gone for the target within
    /// `within` seconds of the action, else the action is rolled back.
    public struct Verification: Sendable {
        public var within: Double
    }

    public enum Severity: String, Sendable, CaseIterable, Comparable {
        case critical, high, medium, low

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank > rhs.rank }
    }

    /// Ordered from the most specific explanation to the most generic.
    public enum Layer: String, Sendable, CaseIterable, Comparable {
        /// Recognises one failure and knows its fix (the default).
        case specific
        /// "This revision fails and an earlier one ran": undo the rollout, whatever the failure.
        case rollout
        /// "This is unhealthy and nothing above explains it": report with evidence, notify only.
        case triage
        /// What users feel, read from metrics (RED: errors, latency, rate): never replaced by a
        /// finding on its target but kept beside it as its symptom, since "the gateway answers
        /// 503" is what the on-call engineer was paged for. Notify only; it explains no fault.
        case symptom

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    /// A kind of cause that can explain another finding (see `explainedBy`).
    public enum Cause: String, Sendable, CaseIterable {
        /// A Service the target calls, or a workload behind it, has a finding of its own.
        case dependency
        /// The target itself, or a workload its Service selects, has a finding of a fault.
        case fault
        /// A workload that calls the target (a Service), or the Service in front of that
        /// workload, has a finding of a fault: the target's requests stopped coming.
        case caller
    }

    /// What a finding is about, and so what its actions act on.
    public enum TargetKind: String, Sendable, CaseIterable {
        /// Deployments, StatefulSets and DaemonSets; the CEL variable is `workload`.
        case workload
        /// Services; the CEL variable is `service`.
        case service
    }

    public struct Iteration: Sendable {
        public var variable: String
        public var collection: CELExpression
    }

    public struct Binding: Sendable {
        public var name: String
        public var expression: CELExpression
    }

    public enum Condition: Sendable {
        case cel(CELCondition)
        case metric(MetricCondition)

        public var id: String {
            switch self {
            case .cel(let condition): condition.id
            case .metric(let condition): condition.id
            }
        }
    }

    public struct CELCondition: Sendable {
        public var id: String
        public var expression: CELExpression
    }

    /// A PromQL expression compared with a threshold that must hold for a window. Prometheus
    /// evaluates the query; medic applies the threshold and the window, so that missing data
    /// is *unknown* and never *healthy*.
    public struct MetricCondition: Sendable {
        public enum Comparison: Sendable, Equatable {
            case above(Double)
            case below(Double)

            public func holds(_ value: Double) -> Bool {
                switch self {
                case .above(let threshold): value > threshold
                case .below(let threshold): value < threshold
                }
            }
        }

        public var id: String
        public var promql: String
        public var comparison: Comparison
        /// Seconds the comparison must have held without a gap; 0 means "now".
        public var window: Double
        /// Resolution at which the window is sampled, in seconds.
        public var step: Double
        /// A required condition gates the finding; an optional one is evidence only.
        public var required: Bool
        public var description: String?

        public init(id: String, promql: String, comparison: Comparison, window: Double, step: Double,
                    required: Bool, description: String?) {
            self.id = id
            self.promql = promql
            self.comparison = comparison
            self.window = window
            self.step = step
            self.required = required
            self.description = description
        }

        /// The instant query medic sends: the expression as a subquery over the window plus one
        /// step (subquery ranges are open at the start), so one request returns every sample
        /// the window check needs.
        public var query: String {
            let range = GoDuration.compact(window + step)
            let resolution = GoDuration.compact(step)
            return "(\(promql))[\(range):\(resolution)]"
        }
    }

    public struct RemediationOption: Sendable {
        public var when: CELExpression?
        public var actions: [ActionSpec]
    }

    /// An action of the closed vocabulary with templated parameters, filled in per finding.
    public struct ActionSpec: Sendable {
        public var kind: ActionKind
        public var parameters: [String: ParameterValue]
        public var line: Int
        public var column: Int
    }

    /// A parameter as written: one template, a mapping of templates (`env`, `limits`,
    /// `selector`; keys may be templates too, e.g. `"{{ flag.name }}": "0"`), or a list of
    /// templates (`names`).
    public enum ParameterValue: Sendable {
        case template(Template)
        case map([(key: Template, value: Template)])
        case list([Template])
    }
}
