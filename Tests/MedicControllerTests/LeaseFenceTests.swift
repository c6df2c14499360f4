import Foundation
import KubeSim
import Logging
import MedicController
import MedicKube
import Testing

/// The fence around a leader's writes, against KubeSim in-process with the short durations of
/// `LeaderElectionTests` (2 s lease, 1 s renew deadline, 200 ms retry).
@Suite(.timeLimit(.minutes(1)))
struct LeaseFenceTests {
    static let leasePath = "/apis/coordination.k8s.io/v1/namespaces/default/leases/medic"

    /// A fence that always refuses, to drive a pass the way a deposed leader's would go.
    struct Refusing: WriteFence {
        func check() async throws(FenceError) {
            throw FenceError(description: "test: replica-a no longer holds the lease")
        }
    }

    static func configMap(_ name: String) -> ConfigMap {
        ConfigMap(metadata: ObjectMeta(name: name, namespace: "default"), data: ["written": "yes"])
    }

    /// Whether the ConfigMap exists on the server (a fenced create must leave none).
    static func exists(_ name: String, on server: RunningKubeSim) async -> Bool {
        do {
            _ = try await KubeReader(connection: ClusterConnection(server: server.baseURL)).get(ConfigMap.self, name: name, namespace: "default")
            return true
        } catch {
            return false
        }
    }

    @Test func aLeaderWritesThroughItsFenceAndAFailedRenewalPastTheDeadlineRefusesAndCancelsThePass() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let sim = server.sim
        let a = LeaderElectionTests.elector("replica-a", server: server)
        let run = Task { try await a.run() }
        #expect(await LeaderElectionTests.eventually(within: .seconds(5)) { await a.isLeader })
        let outcome = await a.lead { fence -> (before: Bool, after: KubeAPIError?, cancelled: Bool) in
            var writer = KubeWriter(connection: ClusterConnection(server: server.baseURL))
            writer.fence = fence
            let before = (try? await writer.create(Self.configMap("before"))) != nil
            // Every lease request fails from now on: the renewals stop landing.
            sim.injectFault(.status(500), method: "PUT", path: Self.leasePath, count: 1000)
            sim.injectFault(.status(500), method: "GET", path: Self.leasePath, count: 1000)
            try? await Task.sleep(for: .seconds(3))
            let cancelled = Task.isCancelled
            do {
                _ = try await writer.create(Self.configMap("after"))
                return (before, nil, cancelled)
            } catch {
                return (before, error as? KubeAPIError, cancelled)
            }
        }
        #expect(outcome?.before == true)
        #expect(outcome?.after?.code == .fenced)
        #expect(outcome?.after?.description.contains("replica-a stopped leading since this pass began") == true,
                "\(outcome?.after?.description ?? "")")
        #expect(outcome?.cancelled == true, "losing the lease cancels the pass")
        #expect(await Self.exists("before", on: server))
        #expect(await !Self.exists("after", on: server))
        let leads = await a.isLeader
        #expect(!leads)
        // Not leading: no pass runs at all.
        #expect(await a.lead { _ in true } == nil)
        run.cancel()
        _ = await run.result
    }

    @Test func aFenceRefusesOnceTheLeaseNamesAnotherHolder() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let a = LeaderElectionTests.elector("replica-a", server: server)
        let run = Task { try await a.run() }
        #expect(await LeaderElectionTests.eventually(within: .seconds(5)) { await a.isLeader })
        let refusal = await a.lead { fence -> FenceError? in
            do {
                try await fence.check()
            } catch {
                return error as? FenceError
            }
            // Another replica takes the lease (as after a takeover a paused leader slept through).
            let writer = KubeWriter(connection: ClusterConnection(server: server.baseURL))
            do {
                var lease = try await LeaderElectionTests.lease(server)
                lease.spec.holderIdentity = "replica-b"
                lease.spec.renewTime = Date()
                lease.spec.leaseDurationSeconds = 30
                _ = try await writer.update(lease)
            } catch {
                Issue.record("could not hand the lease over: \(error)")
            }
            _ = await LeaderElectionTests.eventually(within: .seconds(5)) { await a.observedHolder == "replica-b" }
            do {
                try await fence.check()
                return nil
            } catch {
                return error as? FenceError
            }
        }
        #expect(refusal??.description == "the lease default/medic is held by replica-b, not replica-a")
        let leads = await a.isLeader
        #expect(!leads)
        run.cancel()
        _ = await run.result
    }

    @Test func aPassFromAnEarlierTermIsRefusedAfterTheLeaseWasLostAndRegained() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let sim = server.sim
        let a = LeaderElectionTests.elector("replica-a", server: server)
        let run = Task { try await a.run() }
        #expect(await LeaderElectionTests.eventually(within: .seconds(5)) { await a.isLeader })
        let first = try #require(await a.lead { $0 })
        sim.injectFault(.status(500), method: "PUT", path: Self.leasePath, count: 30)
        #expect(await LeaderElectionTests.eventually(within: .seconds(5)) { await !a.isLeader })
        #expect(await LeaderElectionTests.eventually(within: .seconds(10)) { await a.isLeader })
        let second = try #require(await a.lead { $0 })
        #expect(second.term > first.term)
        await #expect(throws: FenceError(description: "replica-a stopped leading since this pass began")) { try await first.check() }
        await #expect(throws: Never.self) { try await second.check() }
        run.cancel()
        _ = await run.result
    }

    /// One slow attempt cannot keep a leader leading past its renew deadline: the renewal and
    /// the read after it are each slower than the deadline, and the attempt ends at it.
    @Test func eachAttemptEndsByTheRenewDeadline() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let sim = server.sim
        let a = LeaderElectionTests.elector("replica-a", server: server)
        let run = Task { try await a.run() }
        #expect(await LeaderElectionTests.eventually(within: .seconds(5)) { await a.isLeader })
        let fence = try #require(await a.lead { $0 })
        sim.injectFault(.delay(.seconds(5)), method: "PUT", path: Self.leasePath, count: 50)
        sim.injectFault(.delay(.seconds(5)), method: "GET", path: Self.leasePath, count: 50)
        let slowed = ContinuousClock.now
        #expect(await LeaderElectionTests.eventually(within: .seconds(5)) { await !a.isLeader })
        let stepDown = ContinuousClock.now - slowed
        // The last renewal landed at most one retry (200 ms) before the faults, so the 1 s
        // deadline ends the attempt within about 1 s; the request timeouts alone (1 s each,
        // renewal then read) would let it lead for over 2 s.
        #expect(stepDown < .milliseconds(1700), "stepped down after \(stepDown)")
        await #expect(throws: FenceError.self) { try await fence.check() }
        run.cancel()
        _ = await run.result
    }

    /// A pass whose fence refuses (a deposed leader's) sends nothing and records nothing, and
    /// says so in its errors: the finding, decision, intent and Event all needed the fence.
    @Test func aPassWhoseFenceRefusesWritesNothingAndReportsWhy() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let requests = harness.directory.appendingPathComponent("requests.jsonl")
        try harness.sim.logRequests(to: requests)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), mode: .apply)

        let report = await reconciler.pass(fence: Refusing())
        #expect(report.findings.map(\.runbook) == ["oom-killed"])
        #expect(report.decisions.map(\.verdict) == [.allowed])
        guard case .notSent(let reason)? = report.executions.first?.result else {
            Issue.record("expected nothing sent, got \(report.executions)")
            return
        }
        #expect(reason.contains("not recorded, this replica may no longer lead: test: replica-a no longer holds the lease"))
        #expect(report.errors.contains { $0.stage == .fence })
        #expect(!report.errors.contains { $0.stage == .audit }, "a refusal is not a broken audit log")
        #expect(harness.memoryLimit == "128Mi")
        #expect(harness.events(reason: "MedicApplied").isEmpty && harness.events(reason: "MedicDenied").isEmpty)
        #expect(try harness.recordKinds().isEmpty)
        // The pass did read the cluster (so it was decided), and wrote nothing to it.
        let lines = try String(contentsOf: requests, encoding: .utf8).split(separator: "\n")
        let methods = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
            .compactMap { $0["method"] as? String }
        #expect(methods.contains("GET"))
        #expect(methods.allSatisfy { $0 == "GET" }, "\(methods)")
        try harness.expectIntact()
    }
}
