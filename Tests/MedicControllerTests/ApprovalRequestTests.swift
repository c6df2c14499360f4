import Foundation
import MedicAudit
import MedicKube
import MedicRemediation
import Testing
@testable import KubeSim
@testable import MedicController

/// An approval is bound to the request as well as the command: `kubectl rollout undo` is one
/// command, but which revision it restores depends on the ReplicaSets at the time it is sent.
@Suite("approvals bound to the request", .timeLimit(.minutes(2)))
struct ApprovalRequestTests {
    static let undo = Remediation(target: ObjectRef(kind: "Deployment", namespace: "shop", name: "api"), action: .rolloutUndo(toRevision: nil))

    @Test("a rollout undo approved before a deploy is not sent after it: the same command would restore another revision")
    func aDeployInBetweenVoidsTheApproval() async throws {
        let cluster = try await KubectlEquivalenceCluster.start()
        defer { Task { await cluster.stop() } }
        let executor = try cluster.executor(now: KubectlEquivalenceCluster.fixedTime)
        guard case .success(let approved) = await executor.approvalRequest(Self.undo) else {
            Issue.record("the undo's request could not be rendered")
            return
        }
        #expect(approved != Self.undo.approvalHash, "the hash covers more than the command")
        let again = await executor.approvalRequest(Self.undo)
        #expect((try? again.get()) == approved, "the same cluster gives the same hash, whatever the clock")

        // Someone deploys 1.6: "the revision before" is now 1.5, not the 1.0 the human saw.
        var deployment = try #require(cluster.sim.get(.deployment, namespace: "shop", name: "api"))
        var containers = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array)
        containers[0]["image"] = "shop/api:1.6"
        deployment[path: ["spec", "template", "spec", "containers"]] = .array(containers)
        _ = try cluster.sim.put(deployment)

        let result = try await executor.execute(Self.undo, actionID: "a1", incident: "i1", mode: .apply, approved: approved).result
        #expect(result == .notSent("what medic would send to Deployment shop/api now is not the request that was approved "
                                   + "(the object changed since); it is proposed again"))
        #expect(cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template", "spec", "containers"]]?
            .array?.first?["image"] == "shop/api:1.6")
        let now = try await executor.approvalRequest(Self.undo).get()
        #expect(now != approved)
        #expect(try await executor.execute(Self.undo, actionID: "a2", incident: "i1", mode: .apply, approved: now).result == .applied)
    }
}
