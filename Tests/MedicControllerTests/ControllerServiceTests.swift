import Foundation
import KubeSim
import MedicController
import MedicKube
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// The loop's schedule, driven by an injected pass closure instead of a real reconciler.
@Suite(.timeLimit(.minutes(1)))
struct ControllerServiceTests {
    /// Records when each pass started and ended; each pass takes `duration`.
    actor PassLog {
        var starts: [ContinuousClock.Instant] = []
        var ends: [ContinuousClock.Instant] = []
        func started() -> Int {
            starts.append(.now)
            return starts.count
        }
        func ended() { ends.append(.now) }
    }

    actor Flag {
        var value: Bool
        init(_ value: Bool) { self.value = value }
        func set(_ value: Bool) { self.value = value }
    }

    static func eventually(within timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }

    static func service(
        interval: Duration, metrics: ControllerMetrics = ControllerMetrics(), health: HealthState = HealthState(),
        capture: LoggingCapture = LoggingCapture(), isLeader: @escaping @Sendable () async -> Bool = { true },
        pass: @escaping @Sendable () async -> ControllerPassSummary
    ) -> ControllerService {
        ControllerService(
            configuration: .init(interval: interval, followerPollInterval: .milliseconds(20)), metrics: metrics,
            health: health, logger: capture.logger(), lead: { run in await isLeader() ? await run(nil) : nil }, pass: { _ in await pass() })
    }

    /// A pass that could not write the audit log makes the replica not ready until one can.
    @Test func aStateWriteFailureIsNotReadyUntilAPassWritesAgain() async throws {
        let health = HealthState()
        await health.configurationDidLoad()
        let failing = Failing()
        let service = Self.service(interval: .seconds(60), health: health) {
            var summary = ControllerPassSummary(observationTime: Date())
            if await failing.next() { summary.stateError = "audit log: cannot append: No space left on device" }
            return summary
        }
        _ = await service.runPass()
        #expect(await health.notReadyReason
                == "medic's state cannot be written (audit log: cannot append: No space left on device); it acts on nothing it cannot record")
        _ = await service.runPass()
        #expect(await health.notReadyReason == nil)
    }

    /// True the first time, false after.
    actor Failing {
        private var calls = 0
        func next() -> Bool { calls += 1; return calls == 1 }
    }

    /// A new firing alert from Alertmanager starts a pass at once; a repeat of it does not.
    @Test func aNewAlertEndsTheWait() async throws {
        let log = PassLog()
        let intake = AlertIntake()
        let service = ControllerService(
            configuration: .init(interval: .seconds(600), followerPollInterval: .milliseconds(20)), metrics: ControllerMetrics(),
            health: HealthState(), logger: LoggingCapture().logger(), alerts: intake) { _ in
            _ = await log.started()
            return ControllerPassSummary()
        }
        let alert = try AlertmanagerPayload.decode(Data(AlertIntakeTests.payload().utf8))
        try await testGracefulShutdown { trigger in
            let run = Task { try await service.run() }
            #expect(await Self.eventually(within: .seconds(10)) { await log.starts.count == 1 })
            _ = await intake.receive(alert)
            #expect(await Self.eventually(within: .seconds(5)) { await log.starts.count == 2 })
            _ = await intake.receive(alert)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await log.starts.count == 2)
            trigger.triggerGracefulShutdown()
            try await run.value
        }
    }

    /// A wait the interval ends (not an alert) leaves the alert wake-up working: the next waits
    /// still last an interval, and an alert still ends one.
    @Test func theIntervalStillHoldsAfterAWaitWithoutAlerts() async throws {
        let log = PassLog()
        let intake = AlertIntake()
        let service = ControllerService(
            configuration: .init(interval: .seconds(1), followerPollInterval: .milliseconds(20)), metrics: ControllerMetrics(),
            health: HealthState(), logger: LoggingCapture().logger(), alerts: intake) { _ in
            _ = await log.started()
            return ControllerPassSummary()
        }
        try await testGracefulShutdown { trigger in
            let clock = ContinuousClock()
            let started = clock.now
            let run = Task { try await service.run() }
            // The second pass starts when the first wait ends by the interval, not back to back.
            #expect(await Self.eventually(within: .seconds(10)) { await log.starts.count >= 2 })
            #expect(clock.now - started >= .milliseconds(900))
            let before = await log.starts.count
            // The next interval ends about a second from now; the alert ends this wait well before.
            _ = await intake.receive(try AlertmanagerPayload.decode(Data(AlertIntakeTests.payload().utf8)))
            let woken = clock.now
            #expect(await Self.eventually(within: .milliseconds(700)) { await log.starts.count == before + 1 },
                    "no pass \(clock.now - woken) after the alert")
            trigger.triggerGracefulShutdown()
            try await run.value
        }
    }

    @Test func passesStartOneIntervalApartAndErrorsDoNotStopTheLoop() async throws {
        let log = PassLog()
        let metrics = ControllerMetrics()
        let capture = LoggingCapture()
        let service = Self.service(interval: .milliseconds(150), metrics: metrics, capture: capture) {
            let number = await log.started()
            try? await Task.sleep(for: .milliseconds(30))
            await log.ended()
            // Every other pass cannot read the cluster: the loop must carry on.
            return number.isMultiple(of: 2)
                ? ControllerPassSummary(errors: ["cannot read the cluster: connection refused"])
                : ControllerPassSummary(findings: number, observationTime: Date(timeIntervalSince1970: 1_800_000_000))
        }
        try await testGracefulShutdown { trigger in
            let run = Task { try await service.run() }
            #expect(await Self.eventually(within: .seconds(20)) { await log.starts.count >= 5 })
            trigger.triggerGracefulShutdown()
            try await run.value
        }
        let starts = await log.starts
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            let gap = later - earlier
            #expect(gap >= .milliseconds(145) && gap < .seconds(2), "gap \(gap)")
        }
        let exposition = metrics.exposition()
        #expect(exposition.contains("medic_pass_errors_total \((starts.count) / 2)\n"))
        #expect(exposition.contains("medic_last_successful_observation_timestamp_seconds 1800000000.0\n"))
        let errors = capture.events("pass error")
        #expect(errors.first?["error"] as? String == "cannot read the cluster: connection refused")
        #expect(errors.first?["level"] as? String == "error")
        #expect(capture.events("pass finished").count == starts.count)
    }

    /// Changes start passes (`changeSettle` after); passes that cannot read the cluster back
    /// off, doubling the settle each time, so a failed watch under a stream of changes does not
    /// become a stream of failing passes; one that reads again is quick again.
    @Test func failingPassesBackOffFromChanges() async throws {
        let log = PassLog()
        let reads = Flag(false)
        let changes = Wakeup()
        let service = ControllerService(
            configuration: .init(interval: .seconds(600), followerPollInterval: .milliseconds(20), changeSettle: .milliseconds(20)),
            metrics: ControllerMetrics(), health: HealthState(), logger: LoggingCapture().logger(), changes: changes) { _ in
            _ = await log.started()
            return await reads.value ? ControllerPassSummary(observationTime: Date()) : ControllerPassSummary(errors: ["cannot read"])
        }
        try await testGracefulShutdown { trigger in
            let run = Task { try await service.run() }
            let signals = Task {
                while !Task.isCancelled {
                    changes.signal()
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            try await Task.sleep(for: .milliseconds(1500))
            // 20, 40, 80 … 640 ms: about seven passes, not the seventy a fixed settle allows.
            let failing = await log.starts.count
            #expect(failing >= 4 && failing <= 9, "\(failing) failing passes in 1.5 s")
            await reads.set(true)
            try await Task.sleep(for: .milliseconds(2500))
            let reading = await log.starts.count - failing
            #expect(reading >= 15, "\(reading) passes in 2.5 s once the cluster reads")
            signals.cancel()
            trigger.triggerGracefulShutdown()
            try await run.value
        }
        #expect(ControllerService.settle(.milliseconds(200), failures: 0, limit: .seconds(30)) == .milliseconds(200))
        #expect(ControllerService.settle(.milliseconds(200), failures: 3, limit: .seconds(30)) == .milliseconds(1600))
        #expect(ControllerService.settle(.milliseconds(200), failures: 16, limit: .seconds(30)) == .seconds(30))
    }

    @Test func aFollowerDoesNotPassUntilItLeads() async throws {
        let log = PassLog()
        let leading = Flag(false)
        // A long interval, so "at once" (one 20 ms follower poll) and "after an interval" stay
        // far apart even on a loaded machine; shutdown ends the test long before it elapses.
        let service = Self.service(interval: .seconds(20), isLeader: { await leading.value }) {
            _ = await log.started()
            return ControllerPassSummary(observationTime: Date())
        }
        try await testGracefulShutdown { trigger in
            let run = Task { try await service.run() }
            try await Task.sleep(for: .milliseconds(300))
            #expect(await log.starts.isEmpty)
            let promoted = ContinuousClock.now
            await leading.set(true)
            #expect(await Self.eventually(within: .seconds(5)) { await !log.starts.isEmpty })
            // Within a follower poll (20 ms) of becoming leader, not a whole interval (20 s).
            let first = try #require(await log.starts.first, "no pass within 5 s of leading")
            #expect(first - promoted < .seconds(8))
            await leading.set(false)
            let count = await log.starts.count
            try await Task.sleep(for: .milliseconds(350))
            #expect(await log.starts.count <= count + 1)
            trigger.triggerGracefulShutdown()
            try await run.value
        }
    }

    @Test func gracefulShutdownLetsTheRunningPassFinishAndStartsNoOther() async throws {
        let log = PassLog()
        let service = Self.service(interval: .milliseconds(50)) {
            _ = await log.started()
            try? await Task.sleep(for: .milliseconds(300))
            await log.ended()
            return ControllerPassSummary(observationTime: Date())
        }
        try await testGracefulShutdown { trigger in
            let run = Task { try await service.run() }
            #expect(await Self.eventually(within: .seconds(2)) { await log.starts.count == 1 })
            trigger.triggerGracefulShutdown()
            try await run.value
        }
        #expect(await log.starts.count == 1)
        #expect(await log.ends.count == 1)
    }

    /// What could not be read is in the log, one line per kind of problem, not per object,
    /// and not again at every pass.
    @Test func readWarningsAreLoggedOncePerKind() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        var deployment = harness.deployment
        deployment[path: ["spec", "replicas"]] = 3
        _ = try harness.sim.put(deployment)
        let pods = harness.sim.objects(.pod, namespace: "shop").compactMap { $0[path: ["metadata", "name"]]?.string }
        #expect(pods.count == 3)
        for pod in pods {
            harness.sim.injectFault(.status(500), method: "GET", path: "/api/v1/namespaces/shop/pods/\(pod)/log")
        }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"), mode: .advise)
        let capture = LoggingCapture()
        let service = Self.service(interval: .seconds(60), capture: capture) { ControllerPassSummary(await reconciler.pass()) }
        let summary = await service.runPass()
        #expect(summary.warnings.count == 1, "\(summary.warnings)")
        #expect(summary.warnings.first?.hasSuffix("(and 2 more like it)") == true, "\(summary.warnings)")
        let logged = capture.events("read warning").compactMap { $0["warning"] as? String }
        #expect(logged == summary.warnings)
        #expect(summary.findings == 1, "the pass goes on without the logs")
        // The next pass, within the interval, has the same problem: it is not logged again.
        let again = await service.runPass()
        #expect(again.warnings == summary.warnings)
        #expect(capture.events("read warning").count == 1)
    }

    @Test func oncePassRecordsMetricsReadinessAndOneLogLine() async throws {
        let metrics = ControllerMetrics()
        let health = HealthState()
        await health.configurationDidLoad()
        await health.leadershipDidChange(true)
        let capture = LoggingCapture()
        let service = Self.service(interval: .seconds(30), metrics: metrics, health: health, capture: capture) {
            ControllerPassSummary(
                findings: 2, actions: [.init(type: "rollout-restart", result: "succeeded")], denialReasons: ["cooldown"],
                observationTime: Date(timeIntervalSince1970: 1_800_000_000))
        }
        #expect(await health.notReadyReason == "leading, but no observation of the cluster has succeeded yet")
        let summary = await service.runPass()
        #expect(summary.findings == 2)
        #expect(summary.succeeded)
        #expect(await health.notReadyReason == nil)
        let line = try #require(capture.events("pass finished").first)
        #expect(line["findings"] as? Int == 2)
        #expect(line["actions"] as? [String] == ["rollout-restart=succeeded"])
        #expect(line["denials"] as? [String] == ["cooldown"])
        #expect(line["observed_at"] as? String == "2027-01-15T08:00:00Z")
        #expect(metrics.exposition().contains(#"medic_actions_total{type="rollout-restart",result="succeeded"} 1"#))
    }
}
