import Foundation
import KubeSim
import MedicAudit
import MedicKube
import Synchronization
import Testing
@testable import MedicController

/// A process killed just before its `limit`-th write: every write of a pass asks the fence
/// first (requests, Events, audit appends, Remediation objects), so refusing from that check
/// on leaves the cluster and the disk exactly as a SIGKILL there would.
final class DyingFence: WriteFence {
    let limit: Int
    private let checks = Mutex(0)

    init(limit: Int) { self.limit = limit }

    var count: Int { checks.withLock { $0 } }

    func check() async throws(FenceError) {
        let check = checks.withLock { count in
            count += 1
            return count
        }
        if check >= limit { throw FenceError(description: "killed before write \(limit)") }
    }
}

@Suite("killed at every step of the act path, the disk lost: never twice", .timeLimit(.minutes(3)))
struct CrashRecoveryTests {
    @Test("for each write of the pass, killed just before it and restarted on an empty disk, medic sends the fix at most once")
    func killedAtEveryStep() async throws {
        var step = 1
        while true {
            // Still OOM-killed after the fix: only medic's memory of sending it stops a second one.
            let (harness, store) = try await RemediationStoreTests.start(memoryNeeded: 1000)
            defer { Task { await harness.stop() } }
            let requests = harness.directory.appendingPathComponent("requests.jsonl")
            try harness.sim.logRequests(to: requests)
            let policy = try ReconcilerHarness.policy(setResources: "allowed")
            let fence = DyingFence(limit: step)
            _ = await harness.reconciler(policy: policy, remediations: store).pass(fence: fence)
            let completed = fence.count < step

            // The restart: a new audit log on an empty disk, the ledger rebuilt from the objects.
            let disk = try AuditLog(url: harness.directory.appendingPathComponent("after-restart.jsonl"), name: "restarted",
                                    now: harness.clock.now)
            let rebuilt = RemediationStore(connection: harness.connection)
            try await disk.adopt(try await rebuilt.load().flatMap { $0.status?.records ?? [] }, from: "Remediation objects")
            let restarted = harness.reconciler(policy: policy, audit: disk, remediations: rebuilt)
            let first = await restarted.pass()
            harness.clock.advance(by: 90)
            let second = await restarted.pass()

            let patches = try String(contentsOf: requests, encoding: .utf8).split(separator: "\n").filter { line in
                let request = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return request?["method"] as? String == "PATCH" && request?["path"] as? String == ReconcilerHarness.apiPath
                    && !(request?["query"] as? String ?? "").contains("dryRun")
            }
            let context = "killed before write \(step)\(completed ? " (the pass completed)" : ""): \(first.decisions.map(\.reasons)) \(second.decisions.map(\.reasons))"
            #expect(patches.count <= 1, "\(context)")
            if patches.count == 1 {
                #expect(harness.memoryLimit == "256Mi", "\(context)")
            } else {
                // Killed between its intent and its request: the restarted medic cannot know
                // whether it landed, so it leaves it to a human instead of guessing.
                let stuck = try #require(await disk.ledger.actions.values.first(where: \.isInFlight), "\(context)")
                #expect(second.decisions.first?.reasons.first?.hasPrefix("action \(stuck.id) on Deployment shop/api has an intent and no outcome")
                        == true, "\(context)")
                #expect(harness.memoryLimit == "128Mi", "\(context)")
            }
            if completed { break }
            step += 1
        }
        #expect(step > 6, "the pass wrote fewer times than its records, requests and objects need")
    }
}
