import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicPolicy
import MedicRunbook
import Testing

@Suite("verification and rollback", .timeLimit(.minutes(1)))
struct VerificationTests {
    @Test("the symptom cleared on the next pass: verification passes, the incident closes, Event MedicVerified")
    func successCloses() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))
        _ = await reconciler.pass()
        harness.clock.advance(by: 90)

        let report = await reconciler.pass()
        #expect(report.findings.isEmpty)
        let verification = try #require(report.verifications.first)
        #expect(verification.state == .passed)
        #expect(verification.detail == "oom-killed no longer matches Deployment shop/api, 1m30s after action \(verification.actionID)")
        #expect(try harness.recordKinds() == ["finding", "decision:allowed", "intent", "outcome", "verification"])
        #expect(try harness.records().last?.payload.passed == true)
        #expect(harness.events(reason: "MedicVerified").count == 1)
        let quiet = await reconciler.pass()
        #expect(quiet.verifications.isEmpty)
        #expect(try harness.recordKinds().count == 5)
        try harness.expectIntact()
    }

    @Test("still OOM-killed after the window: rolled back to the recorded template, needs a human, across a restart")
    func failureRollsBack() async throws {
        let harness = try await ReconcilerHarness.start(memoryNeeded: 1000)
        defer { Task { await harness.stop() } }
        let policy = try ReconcilerHarness.policy(setResources: "allowed")
        let reconciler = harness.reconciler(policy: policy)
        #expect(await reconciler.pass().executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        harness.clock.advance(by: 60)
        let waiting = await reconciler.pass()
        #expect(waiting.verifications.map(\.state) == [.pending])
        #expect(waiting.executions.isEmpty)
        #expect(waiting.decisions.map(\.verdict) == [.blocked])

        harness.clock.advance(by: 300)
        let failed = await reconciler.pass()
        #expect(failed.verifications.map(\.state) == [.failed])
        guard case .restored(let detail)? = failed.rollbacks.first?.result else {
            Issue.record("expected a rollback, got \(failed.rollbacks)")
            return
        }
        #expect(detail.hasPrefix("verification failed; restoring /spec/template/spec/containers/0/resources as it was before action "))
        #expect(harness.memoryLimit == "128Mi")
        #expect(harness.events(reason: "MedicRolledBack").count == 1)
        #expect(try harness.recordKinds().suffix(4) == ["verification", "rollback", "outcome", "decision:needs-human"])

        let restarted = harness.reconciler(policy: policy, audit: try AuditLog(url: harness.auditURL, name: "test"))
        let after = await restarted.pass()
        #expect(after.executions.isEmpty)
        #expect(after.decisions.map(\.verdict) == [.blocked])
        #expect(after.decisions.first?.reasons.first?.contains("needs a human") == true)
        #expect(harness.memoryLimit == "128Mi")
        try harness.expectIntact()
    }

    /// A rollback is a write like any other: it needs apply mode and what the gate lets the
    /// action do (not its cooldown or its own rate-limit count), and the server's dry run first.
    @Test("a rollback only in apply mode, under the policy: a freeze, a change of mode or a revoked permission escalate without writing")
    func rollbackUnderPolicy() async throws {
        for variant in ["freeze", "dry-run", "needs-approval", "per-target limit 1 (counts the rollback's own action out)"] {
            let harness = try await ReconcilerHarness.start(memoryNeeded: 1000)
            defer { Task { await harness.stop() } }
            let limit = variant.hasPrefix("per-target") ? "\n  rateLimits: {perTarget: {max: 1, window: 1h}}\n  cooldown: 1h" : ""
            let policy = try ReconcilerHarness.policy(setResources: "allowed", extra: limit)
            #expect(await harness.reconciler(policy: policy).pass().executions.map(\.result) == [.applied], "\(variant)")
            harness.clock.advance(by: 360)
            let later: Policy
            var mode: Mode?
            switch variant {
            case "freeze":
                later = try ReconcilerHarness.policy(setResources: "allowed", extra: "\n  freezes: [{reason: release, start: 2026-03-10T00:00:00Z, end: 2026-03-11T00:00:00Z}]")
            case "dry-run":
                later = policy
                mode = .dryRun
            case "needs-approval":
                later = try ReconcilerHarness.policy(setResources: "needs-approval")
            default:
                later = policy
            }
            let failed = await harness.reconciler(policy: later, mode: mode).pass()
            #expect(failed.verifications.map(\.state) == [.failed], "\(variant)")
            let escalation = try #require(try harness.records().last { $0.payload.verdict == "needs-human" }, "\(variant)")
            let reasons = escalation.payload.reasons ?? []
            if variant.hasPrefix("per-target") {
                #expect(failed.rollbacks.count == 1, "\(variant): \(reasons)")
                #expect(harness.memoryLimit == "128Mi", "\(variant)")
                continue
            }
            #expect(failed.rollbacks.isEmpty, "\(variant)")
            #expect(harness.memoryLimit == "256Mi", "\(variant)")
            let expected = switch variant {
            case "freeze": "not rolled back: freeze: change freeze"
            case "dry-run": "not rolled back: medic runs in dry-run mode, and only apply mode rolls back"
            default: "not rolled back: action: rolling back set-resources needs actions.set-resources allowed (it is needs-approval); a human decides instead"
            }
            #expect(reasons.contains { $0.hasPrefix(expected) }, "\(variant): \(reasons)")
            #expect(try !harness.recordKinds().contains("rollback"), "\(variant)")
        }
    }

    @Test("the rollback puts back only the field the action changed: a later image change stays; a later change of that field is not overwritten and goes to a human",
          arguments: ["image", "memory"])
    func rollbackNeverOverwritesALaterChange(_ edited: String) async throws {
        let harness = try await ReconcilerHarness.start(memoryNeeded: 1000)
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))
        #expect(await reconciler.pass().executions.map(\.result) == [.applied])
        let outcome = try #require(try harness.records().last { $0.type == .outcome })
        #expect(outcome.payload.detail?.contains(#""memory":"256Mi""#) == true, "the outcome records what the action wrote")

        // Someone changes the deployment before the verification window ends.
        var deployment = harness.deployment
        deployment[path: ["spec", "template", "spec", "containers"]] = .array(
            (deployment[path: ["spec", "template", "spec", "containers"]]?.array ?? []).map {
                var container = $0
                if edited == "image" { container["image"] = "shop/api:1.5" } else { container[path: ["resources", "limits", "memory"]] = "512Mi" }
                return container
            })
        _ = try harness.sim.put(deployment)

        harness.clock.advance(by: 360)
        let failed = await reconciler.pass()
        #expect(failed.verifications.map(\.state) == [.failed])
        let container = harness.deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first
        guard edited == "memory" else {
            // Another field: medic's change is undone, the human's stays.
            guard case .restored? = failed.rollbacks.first?.result else {
                Issue.record("expected a rollback, got \(failed.rollbacks)")
                return
            }
            #expect(container?["image"]?.string == "shop/api:1.5")
            #expect(harness.memoryLimit == "128Mi")
            return
        }
        guard case .failed(let detail)? = failed.rollbacks.first?.result else {
            Issue.record("expected a refused rollback, got \(failed.rollbacks)")
            return
        }
        #expect(detail.contains("rollback of"))
        #expect(harness.memoryLimit == "512Mi")
        #expect(try harness.recordKinds().suffix(3) == ["rollback", "outcome", "decision:needs-human"])
        try harness.expectIntact()
    }

    @Test("verify.within is read from the runbook, and a zero window is refused at its line")
    func verifyWindowIsLoaded() throws {
        let text = try String(contentsOf: ReconcilerHarness.repository.appendingPathComponent("runbooks/oom-killed.yaml"), encoding: .utf8)
        let runbook = try RunbookLoader.parse(text + "verify:\n  within: 2m\n", file: "oom.yaml")
        #expect(runbook.verification?.within == 120)
        #expect(try RunbookLoader.parse(text, file: "oom.yaml").verification == nil)
        #expect(throws: LoadError.self) { try RunbookLoader.parse(text + "verify:\n  within: 0s\n", file: "oom.yaml") }
        #expect(throws: LoadError.self) { try RunbookLoader.parse(text + "verify:\n  whithin: 2m\n", file: "oom.yaml") }
    }
}
