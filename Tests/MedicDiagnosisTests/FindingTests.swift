import MedicKube
import MedicRemediation
import Testing
@testable import MedicDiagnosis

/// A finding's fields live in storage its copies share until one changes: a change to a copy
/// must never show through another, and equality must not depend on sharing.
@Suite struct FindingTests {
    static let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")

    static func finding() -> Finding {
        Finding(runbook: "oom-killed", severity: .high, target: api, summary: "api runs out of memory",
                evidence: ["OOMKilled 3 times"],
                actions: [ProposedAction(remediation: Remediation(target: api, action: .scale(replicas: 3)), decision: "proposed")],
                conditions: [])
    }

    @Test("a copy shares its finding's storage until either changes, and a change shows in that copy alone")
    func copiesAreValues() {
        let original = Self.finding()
        var copy = original
        #expect(copy.sharesStorage(with: original) && copy == original)
        copy.evidence.append("limit 256Mi")
        copy.causedBy = ["bad-image/Deployment/shop/db"]
        #expect(!copy.sharesStorage(with: original))
        #expect(original.evidence == ["OOMKilled 3 times"] && original.causedBy.isEmpty)
        #expect(copy.evidence == ["OOMKilled 3 times", "limit 256Mi"] && copy.causedBy == ["bad-image/Deployment/shop/db"])
        #expect(copy != original)
        // Every field written through a copy stays in it.
        var other = original
        other.runbook = "crash-loop"
        other.severity = .critical
        other.target.name = "web"
        other.summary = "web crashes"
        other.actions = []
        other.id += "#2"
        #expect(original == Self.finding())
        #expect(other.runbook == "crash-loop" && other.severity == .critical && other.target.name == "web"
                && other.summary == "web crashes" && other.actions.isEmpty && other.id == "oom-killed/Deployment/shop/api#2")
    }

    @Test("two findings made apart are equal when every field is, and differ when any one does")
    func equalityReadsTheFields() {
        let (a, b) = (Self.finding(), Self.finding())
        #expect(!a.sharesStorage(with: b) && a == b)
        var changed = b
        changed.conditions = [ConditionResult(id: "x", truth: .holds, required: true, detail: "", value: nil)]
        #expect(a != changed)
        changed = b
        changed.evidence[0] = "OOMKilled 4 times"
        #expect(a != changed)
    }
}
