import Foundation
import KubeSim
import MedicController
import MedicKube
import MedicPolicy
import MedicRunbook
import Testing

/// `delete-pod` aims at a pod while its finding is about the workload: the act stage must
/// verify (and hold further actions) against the finding's target, not the deleted pod.
@Suite("delete-pod", .timeLimit(.minutes(1)))
struct DeletePodTests {
    static let runbook = """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: oom-pod, severity: high, title: A pod keeps getting OOMKilled}
        target: workload
        each: c in workload.containers
        detect:
          - id: oom-killed
            cel: c.lastTermination.reason == "OOMKilled"
        summary: "{{ c.name }} in {{ workload.name }} was OOMKilled"
        remediate:
          - actions:
              - action: delete-pod
                pod: "{{ c.lastTermination.pod }}"
        """

    static let policy = """
        apiVersion: medic.io/v1
        kind: Policy
        metadata: {name: test}
        spec:
          mode: apply
          actions:
            default: denied
            delete-pod: allowed
        """

    /// The OOM shop, with the runbook above instead of oom-killed.
    static func start() async throws -> ReconcilerHarness {
        try await ReconcilerHarness.start(memoryNeeded: 1000).with(runbooks: [try RunbookLoader.parse(Self.runbook, file: "oom-pod.yaml")])
    }

    @Test("still failing after the pod was deleted: verification stays pending and no second pod is deleted")
    func verifiesTheFindingsTarget() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try PolicyLoader.parse(Self.policy, file: "policy.yaml"))

        let first = await reconciler.pass()
        #expect(first.executions.map(\.result) == [.applied])
        #expect(first.decisions.map(\.outcome) == [.verifyAfter(300)])
        let deleted = try #require(first.executions.first?.remediation.target)
        #expect(deleted.kind == "Pod")
        #expect(harness.sim.get(.pod, namespace: "shop", name: deleted.name) == nil)

        harness.clock.advance(by: 60)
        let second = await reconciler.pass()
        #expect(second.findings.map(\.target) == [ReconcilerHarness.api])
        #expect(second.verifications.map(\.state) == [.pending])
        #expect(second.executions.isEmpty)
        #expect(second.decisions.map(\.verdict) == [.blocked])
        #expect(second.decisions.map(\.outcome) == [.retryAfter(nil)])
    }

    @Test("opt-out is read from the pod it deletes, not from the workload the finding is about")
    func optOutOnThePod() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        var pod = try #require(harness.sim.objects(.pod, namespace: "shop").first)
        var metadata = try #require(pod["metadata"])
        var labels = metadata["labels"] ?? [:]
        labels["medic.io/ignore"] = "true"
        metadata["labels"] = labels
        pod["metadata"] = metadata
        _ = try harness.sim.put(pod)

        let report = await harness.reconciler(policy: try PolicyLoader.parse(Self.policy, file: "policy.yaml")).pass()
        #expect(report.executions.isEmpty)
        let decision = try #require(report.decisions.first)
        #expect(decision.verdict == .denied)
        #expect(decision.reasons.contains { $0.contains("opts out with the label medic.io/ignore") }, "\(decision.reasons)")
    }
}
