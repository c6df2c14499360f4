import MedicKube
import MedicRunbook

/// One finding explains another: `cause` is why `symptom` shows.
public struct CausalLink: Sendable, Hashable, Encodable {
    public var cause: String
    public var symptom: String
    /// The rule that linked them.
    public var rule: String
    /// Why, for a person: which call leads from the symptom to the cause, and how medic knows it.
    public var reason: String
}

/// A way one finding explains another, read from the findings and the service graph. Each rule
/// is a file in this folder with its test beside it; `all` is the registry.
public struct CausalRule: Sendable {
    public var name: String
    public var links: @Sendable (Context) -> [CausalLink]

    /// Every rule medic applies, in no particular order (links are ranked afterwards).
    public static let all: [CausalRule] = [.failingDependency, .faultBehind, .starvedByCaller]

    /// What a rule may look at.
    public struct Context: Sendable {
        public var findings: [Finding]
        public var graph: ServiceGraph
        /// Which causes can explain each runbook's findings (`metadata.explainedBy`).
        public var explainedBy: [String: Set<Runbook.Cause>]

        private let byTarget: [ObjectRef: [Finding]]

        public init(findings: [Finding], graph: ServiceGraph, explainedBy: [String: Set<Runbook.Cause>]) {
            self.findings = findings
            self.graph = graph
            self.explainedBy = explainedBy
            byTarget = Dictionary(grouping: findings, by: \.target)
        }

        public func findings(on target: ObjectRef) -> [Finding] { byTarget[target] ?? [] }

        public func canBeExplained(_ finding: Finding, by cause: Runbook.Cause) -> Bool {
            explainedBy[finding.runbook]?.contains(cause) ?? false
        }
    }
}
