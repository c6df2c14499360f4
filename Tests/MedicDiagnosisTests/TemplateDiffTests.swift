import MedicKube
import Testing
@testable import MedicDiagnosis

/// What a rollout changed in the pod template, and the diffs kept between evaluations.
@Suite struct TemplateDiffTests {
    static func template(image: String, command: [String] = []) -> PodTemplateSpec {
        PodTemplateSpec(spec: PodSpec(containers: [Container(name: "app", image: image, command: command)]))
    }

    @Test("a kept diff answers only for the same two templates: a new template or revision is compared afresh")
    func keptDiffs() {
        // A workload of its own, so no other test's diffs are in the way.
        let workload = ObjectRef(kind: "Deployment", namespace: "template-diff-tests", name: "api")
        let good = Self.template(image: "api:1")
        let bad = Self.template(image: "api:2")
        let expected = ["spec.containers[app].image: api:1 → api:2"]
        #expect(TemplateDiff.changes(from: good, to: bad, of: workload, revision: 3) == expected)
        #expect(TemplateDiff.changes(from: good, to: bad, of: workload, revision: 3) == expected)
        // The same workload and revision, another template now: not the kept diff.
        let worse = Self.template(image: "api:2", command: ["serve"])
        #expect(TemplateDiff.changes(from: good, to: worse, of: workload, revision: 3)
            == ["spec.containers[app].command: (none) → [serve]", "spec.containers[app].image: api:1 → api:2"])
        #expect(TemplateDiff.changes(from: bad, to: worse, of: workload, revision: 3) == ["spec.containers[app].command: (none) → [serve]"])
        #expect(TemplateDiff.changes(from: good, to: good, of: workload, revision: 3).isEmpty)
        // Each answer is the one asked without the kept diffs.
        #expect(TemplateDiff.changes(from: good, to: worse) == TemplateDiff.changes(from: good, to: worse, of: workload, revision: 4))
    }
}
