import Foundation
import KubeSim
import Logging
import MedicController
import MedicKube
import ServiceLifecycleTestKit
import Testing

/// Two electors against KubeSim in-process (real HTTP on 127.0.0.1), with durations short
/// enough for a test: a 2 s lease, a 1 s renew deadline, a 200 ms retry period.
@Suite(.timeLimit(.minutes(1)))
struct LeaderElectionTests {
    static func configuration(_ identity: String, release: Bool = true) -> LeaderElectionConfiguration {
        LeaderElectionConfiguration(
            leaseName: "medic", namespace: "default", identity: identity, leaseDuration: .seconds(2),
            renewDeadline: .seconds(1), retryPeriod: .milliseconds(200), releaseOnShutdown: release)
    }

    static func elector(_ identity: String, server: RunningKubeSim, release: Bool = true) -> LeaderElector {
        LeaderElector(
            configuration: configuration(identity, release: release), connection: ClusterConnection(server: server.baseURL),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    static func lease(_ server: RunningKubeSim) async throws -> Lease {
        try await KubeReader(connection: ClusterConnection(server: server.baseURL)).get(Lease.self, name: "medic", namespace: "default")
    }

    /// Polls `condition` every 20 ms; false when `timeout` passed first.
    static func eventually(within timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    @Test func exactlyOneOfTwoLeadsAndTheLeaseNamesIt() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let a = Self.elector("replica-a", server: server), b = Self.elector("replica-b", server: server)
        let runA = Task { try await a.run() }, runB = Task { try await b.run() }
        #expect(await Self.eventually(within: .seconds(5)) { let x = await a.isLeader; let y = await b.isLeader; return x || y })
        // Over several renewals (about 2 lease durations), never both and never neither.
        for _ in 0..<40 {
            let leaders = [await a.isLeader, await b.isLeader].filter { $0 }.count
            #expect(leaders == 1)
            try await Task.sleep(for: .milliseconds(100))
        }
        let leader = await a.isLeader ? "replica-a" : "replica-b"
        let lease = try await Self.lease(server)
        #expect(lease.spec.holderIdentity == leader)
        #expect(lease.spec.leaseDurationSeconds == 2)
        #expect(lease.spec.leaseTransitions == 0)
        #expect(lease.spec.renewTime! > lease.spec.acquireTime!)
        runA.cancel()
        runB.cancel()
        _ = await (runA.result, runB.result)
    }

    @Test func aLeaderThatDiesIsReplacedAfterTheLeaseExpires() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let a = Self.elector("replica-a", server: server, release: false)
        let runA = Task { try await a.run() }
        #expect(await Self.eventually(within: .seconds(5)) { await a.isLeader })
        let b = Self.elector("replica-b", server: server)
        let runB = Task { try await b.run() }
        #expect(await Self.eventually(within: .seconds(5)) { await b.observedHolder != nil })
        let bLeads = await b.isLeader
        #expect(!bLeads)
        let seen = await b.observedHolder
        #expect(seen == "replica-a")
        let acquired = try await Self.lease(server).spec.acquireTime

        runA.cancel()  // a crash: no release, the lease just stops being renewed
        _ = await runA.result
        let stopped = ContinuousClock.now
        #expect(await Self.eventually(within: .seconds(10)) { await b.isLeader })
        let takeover = ContinuousClock.now - stopped
        // Not before the 2 s lease expired (measured from b's last sight of a renewal, up to
        // one retry period plus jitter earlier), and within one more retry after it.
        #expect(takeover > .milliseconds(1400))
        #expect(takeover < .milliseconds(6000), "a loaded machine may delay the retry")
        let lease = try await Self.lease(server)
        #expect(lease.spec.holderIdentity == "replica-b")
        #expect(lease.spec.leaseTransitions == 1)
        #expect(lease.spec.acquireTime! > acquired!)
        runB.cancel()
        _ = await runB.result
    }

    @Test func aLeaderThatShutsDownGracefullyHandsOverAtOnce() async throws {
        let server = try await KubeSim().start()
        defer { Task { await server.stop() } }
        let b = Self.elector("replica-b", server: server)
        let a = Self.elector("replica-a", server: server)
        var runB: Task<Void, any Error>?
        let released = try await testGracefulShutdown { trigger in
            let runA = Task { try await a.run() }
            #expect(await Self.eventually(within: .seconds(5)) { await a.isLeader })
            // b runs outside this graceful-shutdown scope, so the trigger stops only a.
            runB = Task.detached { try await b.run() }
            try await Task.sleep(for: .milliseconds(500))
            let bLeads = await b.isLeader
            #expect(!bLeads)
            trigger.triggerGracefulShutdown()
            try await runA.value
            let aLeads = await a.isLeader
            #expect(!aLeads)
            return ContinuousClock.now
        }
        let lease = try await Self.lease(server)
        #expect(lease.spec.holderIdentity == "" || lease.spec.holderIdentity == "replica-b")
        #expect(await Self.eventually(within: .seconds(2)) { await b.isLeader })
        // A released lease is free at once: b takes it on its next retry (≤ 440 ms unloaded), not after the 2 s lease expiry.
        #expect(ContinuousClock.now - released < .milliseconds(1900))
        let taken = try await Self.lease(server)
        #expect(taken.spec.holderIdentity == "replica-b")
        #expect(taken.spec.leaseTransitions == 1)
        runB?.cancel()
        _ = await runB?.result
    }

    @Test func settingsThatCannotWorkAreRefusedWithTheSettingToChange() {
        var settings = Self.configuration("a")
        settings.renewDeadline = .seconds(2)
        #expect(throws: LeaderElectionError(description: "the lease duration (2.0 seconds) must be longer than the renew deadline (2.0 seconds)")) {
            try settings.validate()
        }
        settings = Self.configuration("a")
        settings.retryPeriod = .seconds(1)
        #expect(throws: LeaderElectionError(description: "the renew deadline (1.0 seconds) must be longer than 1.2 × the retry period (1.0 seconds)")) {
            try settings.validate()
        }
        settings = Self.configuration("")
        #expect(throws: LeaderElectionError(description: "the leader election identity is empty; pass --identity or set HOSTNAME")) {
            try settings.validate()
        }
        #expect(throws: Never.self) { try Self.configuration("a").validate() }
        settings.leaseDuration = .milliseconds(2500)
        #expect(settings.leaseDurationSeconds == 3)
    }
}
