import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import Testing

/// Issue 15, item 9: an API server that fails under load (5xx on reads and writes, 429 with
/// Retry-After, answers that never arrive) over many passes. medic must never act on what it
/// could not read, never send one fix twice, and never lose a record: every intent has its
/// outcome, the log verifies, and once the storm passes the fix lands, once.
@Suite("API fault storms", .timeLimit(.minutes(2)))
struct FaultStormTests {
    /// SplitMix64, so each seed storms the same way on every machine.
    struct Storm: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One to three faults armed before each of twelve passes, 20 s of cluster time apart.
    func arm(_ sim: KubeSim, _ rng: inout Storm) -> Int {
        let patch = ReconcilerHarness.apiPath
        let count = Int.random(in: 1...3, using: &rng)
        for _ in 0..<count {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: sim.injectFault(.status(500), method: "GET", path: "/api/v1/pods")
            case 1: sim.injectFault(.status(503), method: "GET", path: "/apis/apps/v1/deployments")
            case 2: sim.injectFault(.status(429, retryAfter: 1), method: "PATCH", path: patch, dryRun: Bool.random(using: &rng))
            case 3: sim.injectFault(.status(500), method: "PATCH", path: patch, dryRun: false)
            case 4: sim.injectFault(.delay(.seconds(1)), method: "PATCH", path: patch, dryRun: false)
            default: sim.injectFault(.status(500), method: "POST", path: "/api/v1/namespaces/shop/events")
            }
        }
        return count
    }

    @Test("seeded storms of 5xx, 429 and lost answers: no action on missing data, no duplicate, no lost record", arguments: [1, 2, 3, 4])
    func storm(seed: UInt64) async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"),
                                            writeTimeout: .milliseconds(300))
        var rng = Storm(state: seed)
        var armed = 0
        for _ in 0..<12 {
            armed += arm(harness.sim, &rng)
            let before = harness.memoryLimit
            let report = await reconciler.pass()
            if report.errors.contains(where: { $0.stage == .observe }) {
                // Nothing read, nothing decided, nothing sent.
                #expect(report.decisions.isEmpty && report.executions.isEmpty, "seed \(seed): acted on a failed read")
                #expect(harness.memoryLimit == before)
            }
            // The writer waits 300 ms at most; let a delayed answer land before the next pass.
            try await Task.sleep(for: .milliseconds(50))
            harness.clock.advance(by: 20)
        }
        // Writes fail only while there is a fix to send, so not every fault is hit; reads fail every pass.
        #expect(armed - harness.sim.armedFaults.count >= 5, "seed \(seed): the storm hardly hit medic")
        // The storm is over: what is still armed is disarmed, and medic settles.
        for _ in 0..<4 {
            harness.sim.clearFaults()
            _ = await reconciler.pass()
            harness.clock.advance(by: 30)
        }

        let records = try harness.records()
        try harness.expectIntact()
        let intents = records.filter { $0.type == .intent }
        for intent in intents {
            #expect(records.contains { $0.type == .outcome && $0.action == intent.action },
                    "seed \(seed): intent \(intent.action ?? "") lost its outcome")
        }
        #expect(Set(intents.compactMap(\.action)).count == intents.count, "seed \(seed): an action id was started twice")
        // One fix for one finding: a second intent only after the first was refused, never
        // after one that was (or may have been) applied.
        let applied = records.filter { $0.type == .outcome && [200, 0].contains($0.payload.status ?? -1) }
        let kinds = try harness.recordKinds()
        #expect(applied.count == 1, "seed \(seed): \(applied.count) applied outcomes: \(kinds)")
        #expect(harness.memoryLimit == "256Mi", "seed \(seed): the fix did not land once the storm passed")
    }

    @Test("a dropped watch: while the cache of a kind is not relisted, the pass reads nothing and decides nothing; after the relist the fix goes out once")
    func droppedWatch() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let (reconciler, informer, watching) = harness.watched(policy: try ReconcilerHarness.policy(setResources: "allowed"),
                                                               timeoutSeconds: 1)
        _ = try await informer.read()

        // The pods watch ends (the server closes it every second) and its resume fails.
        harness.sim.injectFault(.status(500), method: "GET", path: "/api/v1/pods", count: 2)
        func podsWatch() async -> ClusterInformer.KindState? { await informer.states["pods"] }
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            if case .failed = await podsWatch() { break }
            #expect(ContinuousClock.now < deadline, "the pods watch never failed")
            try await Task.sleep(for: .milliseconds(20))
        }
        let blind = await reconciler.pass()
        #expect(blind.errors.map(\.stage) == [.observe], "\(blind.errors)")
        #expect(blind.findings.isEmpty && blind.decisions.isEmpty && blind.executions.isEmpty)
        #expect(harness.memoryLimit == "128Mi")

        while true {
            if case .synced = await podsWatch() { break }
            #expect(ContinuousClock.now < deadline + .seconds(30), "pods were never relisted")
            try await Task.sleep(for: .milliseconds(50))
        }
        let seeing = await reconciler.pass()
        #expect(seeing.executions.map(\.result) == [.applied])
        // After a relist every target is diagnosed again; the blind pass diagnosed none.
        #expect(blind.diagnosed == 0)
        #expect(seeing.diagnosed > 0)
        #expect(harness.memoryLimit == "256Mi")
        harness.clock.advance(by: 30)
        #expect(await reconciler.pass().executions.isEmpty)
        try harness.expectIntact()
        try await ReconcilerHarness.stopWatching(watching)
    }
}
