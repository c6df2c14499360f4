import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
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
        #expect(proposed["message"]?.string?.contains("medic approve \(id), or annotate medic.io/approve=\(id); expires 2026-03-10T13:00:00Z") == true)
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

    @Test("the medic.io/approve annotation on the target approves the proposal it names")
    func approveWithTheAnnotation() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"))
        let id = try #require(await reconciler.pass().decisions.first?.actionID)
        var deployment = harness.deployment
        deployment[path: ["metadata", "annotations", "medic.io/approve"]] = .string(id)
        _ = try harness.sim.put(deployment)

        let report = await reconciler.pass()
        #expect(report.executions.map(\.result) == [.applied])
        let approval = try #require(try harness.records().first { $0.type == .approval })
        #expect(approval.payload.approver == "annotation medic.io/approve on Deployment shop/api")
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
