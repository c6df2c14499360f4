import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicPolicy
import Testing

@Suite("approvals", .timeLimit(.minutes(1)))
struct ApprovalTests {
    @Test("needs-approval becomes a proposal (Event MedicProposed); medic approve records who, the next pass sends it")
    func approveThroughTheLog() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"))
        let first = await reconciler.pass()
        #expect(first.decisions.map(\.verdict) == [.needsApproval])
        #expect(first.executions.isEmpty)
        let id = try #require(first.decisions.first?.actionID)
        let proposed = try #require(harness.events(reason: "MedicProposed").first)
        #expect(proposed["message"]?.string?.contains("medic approve \(id) --cluster, or annotate medic.io/approve=\(id); expires 2026-03-10T13:00:00Z") == true)
        #expect(await reconciler.pass().executions.isEmpty)

        let pending = Approvals.pending(in: try harness.records(), now: harness.clock.now)
        #expect(pending.map(\.id) == [id])
        #expect(pending.first?.command == "kubectl -n shop set resources deployment/api -c api --limits=memory=256Mi")
        #expect(pending.first?.expires == harness.clock.now.addingTimeInterval(3600))

        try await Approvals.approve(id, approver: "alice", log: harness.audit, now: harness.clock.now)
        let second = await reconciler.pass()
        #expect(second.decisions.map(\.verdict) == [.approved])
        #expect(second.executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        let records = try harness.records()
        #expect(try harness.recordKinds() == ["finding", "decision:needs-approval", "approval", "intent", "outcome"])
        #expect(records[3].payload.approver == "alice")
        #expect(Set(records.dropFirst(2).compactMap(\.action)) == [id])
        #expect(Approvals.pending(in: records, now: harness.clock.now).isEmpty)
        await #expect(throws: ApprovalError(.notPending, "\(id) was already approved by alice")) {
            try await Approvals.approve(id, approver: "bob", log: harness.audit, now: harness.clock.now)
        }
        try harness.expectIntact()
    }

    @Test("an approval is for one command: when the command changes it is void, an annotation does not renew it, a new approval sends the new one")
    func approvalBoundToTheCommand() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let id = try #require(await harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"))
            .pass().decisions.first?.actionID)
        try await Approvals.approve(id, approver: "alice", log: harness.audit, now: harness.clock.now)

        // Before it is sent, the policy's cap changes what would be sent: 192Mi, not the 256Mi alice saw.
        let tighter = try PolicyLoader.parse("""
            apiVersion: medic.io/v1
            kind: Policy
            metadata: {name: test}
            spec:
              mode: apply
              actions: {default: denied, set-resources: needs-approval}
              caps: {maxMemoryLimit: 192Mi}
            """, file: "tighter.yaml")
        let reconciler = harness.reconciler(policy: tighter)
        let changed = await reconciler.pass()
        #expect(changed.executions.isEmpty)
        #expect(changed.decisions.map(\.verdict) == [.needsApproval])
        #expect(changed.decisions.first?.actionID == id)
        #expect(changed.decisions.first?.reasons.contains {
            $0.hasPrefix("alice approved an earlier command of \(id), not the one medic would send now (kubectl -n shop set resources deployment/api -c api --limits=memory=192Mi)")
        } == true)
        #expect(harness.memoryLimit == "128Mi")
        #expect(Approvals.pending(in: try harness.records(), now: harness.clock.now).map(\.command)
            == ["kubectl -n shop set resources deployment/api -c api --limits=memory=192Mi"])

        // An annotation naming the id was for the earlier command: it does not approve this one.
        var deployment = harness.deployment
        deployment[path: ["metadata", "annotations", "medic.io/approve"]] = .string(id)
        _ = try harness.sim.put(deployment)
        #expect(await reconciler.pass().executions.isEmpty)

        try await Approvals.approve(id, approver: "bob", log: harness.audit, now: harness.clock.now)
        let sent = await reconciler.pass()
        #expect(sent.executions.map(\.result) == [.applied])
        #expect(sent.decisions.first?.reasons.last == "approved by bob")
        #expect(harness.memoryLimit == "192Mi")
        let approvals = try harness.records().filter { $0.type == .approval }
        #expect(approvals.map(\.payload.approver) == ["alice", "bob"])
        #expect(approvals.allSatisfy { $0.payload.requestHash?.count == 64 })
        #expect(approvals[0].payload.requestHash != approvals[1].payload.requestHash)
        try harness.expectIntact()
    }

    @Test("the medic.io/approve annotation on the target approves the proposal it names")
    func approveWithTheAnnotation() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"))
        let id = try #require(await reconciler.pass().decisions.first?.actionID)
        let kubeconfig = harness.directory.appendingPathComponent("kubeconfig").path
        let annotate = try await KubectlEquivalenceCluster.kubectl(
            ["kubectl", "-n", "shop", "annotate", "deployment/api", "medic.io/approve=\(id)"], kubeconfig: kubeconfig, directory: harness.directory)
        #expect(annotate.status == 0, "\(annotate.output)")

        let report = await reconciler.pass()
        #expect(report.executions.map(\.result) == [.applied])
        let approval = try #require(try harness.records().first { $0.type == .approval })
        // Who: the field manager that owns the annotation in managedFields.
        #expect(approval.payload.approver?.hasPrefix("annotation medic.io/approve on Deployment shop/api, set by kubectl-annotate (Update at ") == true,
                "\(approval.payload.approver ?? "")")
        #expect(approval.action == id)
        try harness.expectIntact()
    }

    @Test("a proposal expires after an hour: approving it is refused, the next pass proposes again with a new id")
    func approvalExpires() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"))
        let id = try #require(await reconciler.pass().decisions.first?.actionID)
        harness.clock.advance(by: 3600)
        try harness.reinjectOOM()

        await #expect(throws: ApprovalError(.expired, "\(id) was proposed at 2026-03-10T12:00:00Z and expired at 2026-03-10T13:00:00Z; medic proposes it again with a new id if it is still needed")) {
            try await Approvals.approve(id, approver: "alice", log: harness.audit, now: harness.clock.now)
        }
        let again = await reconciler.pass()
        let newID = try #require(again.decisions.first?.actionID)
        #expect(again.decisions.map(\.verdict) == [.needsApproval])
        #expect(newID != id)
        #expect(Approvals.pending(in: try harness.records(), now: harness.clock.now).map(\.id) == [newID])
        #expect(again.executions.isEmpty)
        try harness.expectIntact()
    }
}
