import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicNotify
import Testing

/// What real passes tell people: each thing once, in the order an incident goes through it.
@Suite("pass notifications", .serialized, .timeLimit(.minutes(1)))
struct PassNotificationsTests {
    static func tell(_ report: PassReport, _ notifications: inout PassNotifications, _ harness: ReconcilerHarness) async -> [Notice] {
        notifications.notifications(for: report, ledger: await harness.audit.ledger, severities: ["oom-killed": .high])
    }

    /// Sets the api container's memory limit as a person would with kubectl.
    static func setMemoryLimit(_ limit: String, _ harness: ReconcilerHarness) throws {
        var deployment = harness.deployment
        deployment[path: ["spec", "template", "spec", "containers"]] = .array(
            (deployment[path: ["spec", "template", "spec", "containers"]]?.array ?? []).map { container in
                var container = container
                container[path: ["resources", "limits", "memory"]] = .string(limit)
                return container
            })
        _ = try harness.sim.put(deployment)
    }

    @Test("applied: the finding with its fix and medic's decision, the action, then the verification; then nothing")
    func appliedAndVerified() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))
        var notifications = PassNotifications()

        let first = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(first.map(\.event) == [.finding, .action])
        let finding = try #require(first.first)
        #expect(finding.target == ReconcilerHarness.api && finding.runbook == "oom-killed" && finding.severity == .high)
        #expect(finding.command == "kubectl -n shop set resources deployment/api -c api --limits=memory=256Mi")
        #expect(finding.evidence.last == "medic's decision: kubectl -n shop set resources deployment/api -c api --limits=memory=256Mi — allowed")
        #expect(finding.finding?.id == "oom-killed/Deployment/shop/api")
        #expect(first[1].result == "applied" && first[1].incident == finding.incident && first[1].actionID != nil)

        harness.clock.advance(by: 90)
        let second = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(second.map(\.event) == [.verification])
        #expect(second.first?.result == "fixed" && second.first?.incident == finding.incident)
        #expect(await Self.tell(await reconciler.pass(), &notifications, harness).isEmpty)
    }

    @Test("needs approval: one proposal with both ways to approve, not repeated on the next pass")
    func proposalOnce() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"))
        var notifications = PassNotifications()
        let first = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(first.map(\.event) == [.finding, .proposal])
        let proposal = try #require(first.last)
        let id = try #require(proposal.actionID)
        #expect(proposal.approval == ["medic approve \(id) --cluster", "kubectl annotate deployment/api -n shop medic.io/approve=\(id) --overwrite"])
        #expect(proposal.headline.hasSuffix("waits for a human's approval"))
        harness.clock.advance(by: 30)
        #expect(await Self.tell(await reconciler.pass(), &notifications, harness).isEmpty)
    }

    @Test("not fixed in its window: one escalation naming the rollback and the id to approve")
    func failedVerificationEscalates() async throws {
        let harness = try await ReconcilerHarness.start(memoryNeeded: 1000)
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))
        var notifications = PassNotifications()
        #expect(await Self.tell(await reconciler.pass(), &notifications, harness).map(\.event) == [.finding, .action])
        harness.clock.advance(by: 60)
        #expect(await Self.tell(await reconciler.pass(), &notifications, harness).isEmpty)
        harness.clock.advance(by: 300)
        let failed = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(failed.map(\.event) == [.escalation])
        let escalation = try #require(failed.first)
        #expect(escalation.headline.contains("did not fix it"))
        #expect(escalation.evidence.contains { $0.hasPrefix("rollback: ") })
        let approval = try #require(escalation.approval.first)
        #expect(approval.hasPrefix("medic approve "))
        #expect(await Self.tell(await reconciler.pass(), &notifications, harness).isEmpty)
    }

    @Test("a finding medic may not fix: told once, resolved when a person fixes it, told again when it comes back")
    func resolvedAndBack() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "denied"))
        var notifications = PassNotifications()
        let first = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(first.map(\.event) == [.finding])
        #expect(first.first?.evidence.contains { $0.contains("— refused: ") } == true)
        harness.clock.advance(by: 30)
        #expect(await Self.tell(await reconciler.pass(), &notifications, harness).isEmpty)

        try Self.setMemoryLimit("512Mi", harness)
        harness.clock.advance(by: 90)
        let fixed = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(fixed.map(\.event) == [.resolved])
        #expect(fixed.first?.incident == first.first?.incident)

        try Self.setMemoryLimit("128Mi", harness)
        harness.clock.advance(by: 90)
        let back = await Self.tell(await reconciler.pass(), &notifications, harness)
        #expect(back.map(\.event) == [.finding])
    }

    @Test("after a restart what was told is not told again, and its end still is; a failed observation ends nothing")
    func restartAndOutage() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let policy = try ReconcilerHarness.policy(setResources: "denied")
        var before = PassNotifications()
        #expect(await Self.tell(await harness.reconciler(policy: policy).pass(), &before, harness).map(\.event) == [.finding])

        let restarted = harness.reconciler(policy: policy, audit: try AuditLog(url: harness.auditURL, name: "test"))
        var after = PassNotifications()
        harness.clock.advance(by: 30)
        #expect(await Self.tell(await restarted.pass(), &after, harness).isEmpty)
        try Self.setMemoryLimit("512Mi", harness)
        harness.clock.advance(by: 90)
        #expect(await Self.tell(await restarted.pass(), &after, harness).map(\.event) == [.resolved])

        // It comes back; then observing fails: nothing is said to have ended.
        try Self.setMemoryLimit("128Mi", harness)
        harness.clock.advance(by: 90)
        #expect(await Self.tell(await restarted.pass(), &after, harness).map(\.event) == [.finding])
        await harness.server.stop()
        let blind = await restarted.pass()
        #expect(blind.errors.contains { $0.stage == .observe })
        #expect(await Self.tell(blind, &after, harness).isEmpty)
    }
}
