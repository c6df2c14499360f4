import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicPolicy
import MedicRemediation
import Testing

@Suite("never twice, and no lost action", .timeLimit(.minutes(1)))
struct ReconcilerSafetyTests {
    @Test("a fault that comes back after every fix is fixed flapLimit times, then escalates to a human")
    func flappingEscalates() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"),
                                            verification: VerificationSettings(defaultWindow: 300, flapLimit: 2, flapWindow: 3600))
        var limits: [String?] = []
        for _ in 0..<2 {
            #expect(await reconciler.pass().executions.map(\.result) == [.applied])
            limits.append(harness.memoryLimit)
            harness.clock.advance(by: 60)
            #expect(await reconciler.pass().verifications.map(\.state) == [.passed])
            try harness.reinjectOOM()
            harness.clock.advance(by: 60)
        }
        #expect(limits == ["256Mi", "512Mi"])
        let escalation = await reconciler.pass()
        #expect(escalation.executions.isEmpty)
        #expect(escalation.decisions.map(\.verdict) == [.escalated])
        #expect(escalation.decisions.first?.reasons == ["oom-killed came back on Deployment shop/api after 2 set-resources actions within 1h: fixing the symptom again would hide the cause"])
        let later = await reconciler.pass()
        #expect(later.decisions.map(\.verdict) == [.blocked])
        #expect(harness.memoryLimit == "512Mi")
        let pending = Approvals.pending(in: try harness.records(), now: harness.clock.now)
        #expect(pending.map(\.kind) == [.escalation])
        #expect(pending.first?.target == ReconcilerHarness.api)
        #expect(try harness.recordKinds().filter { $0 == "intent" }.count == 2)
        #expect(try harness.recordKinds().last == "decision:needs-human")

        // A human approves the escalation by annotating the Deployment with its id (kubectl
        // annotate): the approval names the field manager, and medic may act again.
        let id = try #require(pending.first?.id)
        let kubeconfig = harness.directory.appendingPathComponent("kubeconfig").path
        let annotate = try await KubectlEquivalenceCluster.kubectl(
            ["kubectl", "-n", "shop", "annotate", "deployment/api", "medic.io/approve=\(id)"], kubeconfig: kubeconfig, directory: harness.directory)
        #expect(annotate.status == 0, "\(annotate.output)")
        let approved = await reconciler.pass()
        #expect(approved.decisions.map(\.verdict) != [.blocked])
        let approval = try #require(try harness.records().last { $0.type == .approval })
        #expect(approval.action == id)
        #expect(approval.payload.approver?.hasPrefix("annotation medic.io/approve on Deployment shop/api, set by kubectl-annotate (Update at ") == true)
        #expect(Approvals.pending(in: try harness.records(), now: harness.clock.now).isEmpty, "\(approved.decisions.map(\.reasons)) \((try? harness.recordKinds()) ?? [])")
        try harness.expectIntact()
    }

    @Test("an intent without an outcome (a crash between them) blocks the target after a restart: no repeat")
    func crashBetweenIntentAndOutcome() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let remediation = Remediation(target: ReconcilerHarness.api,
                                      action: .setResources(container: "api", limits: ["memory": "256Mi"], requests: [:]))
        try await harness.audit.append(.finding(incident: "i1", target: ReconcilerHarness.api, runbook: "oom-killed",
                                                severity: "high", summary: "api was OOMKilled", evidence: []), at: harness.clock.now)
        try await harness.audit.append(.intent(incident: "i1", action: "crashed-1", remediation: remediation, mode: .apply,
                                               method: "PATCH", path: ReconcilerHarness.apiPath), at: harness.clock.now)
        let version = harness.deployment[path: ["metadata", "resourceVersion"]]

        let restarted = try AuditLog(url: harness.auditURL, name: "test")
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), audit: restarted)
        let report = await reconciler.pass()
        #expect(report.executions.isEmpty)
        #expect(report.decisions.map(\.verdict) == [.blocked])
        #expect(report.decisions.first?.reasons == ["action crashed-1 on Deployment shop/api has an intent and no outcome: it may or may not have reached the cluster; check the object, then medic audit resolve crashed-1 --cluster --outcome applied|not-applied --reason …"])
        #expect(harness.deployment[path: ["metadata", "resourceVersion"]] == version)
        #expect(try harness.recordKinds().filter { $0 == "intent" }.count == 1)

        // A human checks: the limit is still 128Mi, so the change did not land. medic acts again.
        #expect(harness.memoryLimit == "128Mi")
        try await InFlightResolution.resolve("crashed-1", outcome: .notApplied, reason: "limit still 128Mi", by: "alice",
                                             log: restarted, now: harness.clock.now)
        harness.clock.advance(by: 30)
        let after = await reconciler.pass()
        #expect(after.executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        try harness.expectIntact()
    }

    @Test("a Conflict is not retried in the pass; the next pass re-reads, decides again and applies")
    func conflictIsRedecidedNextPass() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        harness.sim.injectFault(.status(409), method: "PATCH", path: ReconcilerHarness.apiPath, dryRun: false)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))

        let first = await reconciler.pass()
        guard case .conflict(let message)? = first.executions.first?.result else {
            Issue.record("expected a conflict, got \(first.executions)")
            return
        }
        #expect(message.hasSuffix("the object changed since it was read, the next pass decides again"))
        #expect(harness.sim.armedFaults.isEmpty)
        #expect(harness.memoryLimit == "128Mi")
        let second = await reconciler.pass()
        #expect(second.executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        let records = try harness.records()
        #expect(try harness.recordKinds() == ["finding", "decision:allowed", "intent", "outcome", "decision:allowed", "intent", "outcome"])
        #expect(records.filter { $0.type == .outcome }.map(\.payload.status) == [409, 200])
        #expect(Set(records.filter { $0.type == .intent }.compactMap(\.action)).count == 2)
        try harness.expectIntact()
    }

    @Test("a 429 defers the target until Retry-After has passed, then the action goes out once")
    func tooManyRequestsDefers() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        harness.sim.injectFault(.status(429, retryAfter: 30), method: "PATCH", path: ReconcilerHarness.apiPath, dryRun: false)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))

        let first = await reconciler.pass()
        guard case .deferred(let until, _)? = first.executions.first?.result else {
            Issue.record("expected a deferral, got \(first.executions)")
            return
        }
        #expect(until == harness.clock.now.addingTimeInterval(30))
        let early = await reconciler.pass()
        #expect(early.executions.isEmpty)
        #expect(early.decisions.first?.reasons == ["the API server asked to wait (429) until \(RFC3339.format(until))"])
        harness.clock.advance(by: 31)
        #expect(await reconciler.pass().executions.map(\.result) == [.applied])
        #expect(try harness.records().filter { $0.type == .outcome }.map(\.payload.status) == [429, 200])
        try harness.expectIntact()
    }

    @Test("a 500 is recorded as failed, not repeated in the pass; one outcome per intent")
    func serverErrorIsRecorded() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        harness.sim.injectFault(.status(500), method: "PATCH", path: ReconcilerHarness.apiPath, dryRun: false)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))

        let first = await reconciler.pass()
        guard case .failed(let status, _)? = first.executions.first?.result else {
            Issue.record("expected a failure, got \(first.executions)")
            return
        }
        #expect(status == 500)
        #expect(harness.memoryLimit == "128Mi")
        #expect(await reconciler.pass().executions.map(\.result) == [.applied])
        let records = try harness.records()
        let intents = records.filter { $0.type == .intent }.compactMap(\.action)
        let outcomes = records.filter { $0.type == .outcome }.compactMap(\.action)
        #expect(intents == outcomes)
        #expect(records.filter { $0.type == .outcome }.map(\.payload.status) == [500, 200])
        try harness.expectIntact()
    }

    @Test("a request that times out after it was applied is verified, not sent again")
    func timeoutIsVerifiedNotRepeated() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        harness.sim.injectFault(.delay(.seconds(2)), method: "PATCH", path: ReconcilerHarness.apiPath, dryRun: false)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), writeTimeout: .milliseconds(700))

        let first = await reconciler.pass()
        guard case .unknown(let message)? = first.executions.first?.result else {
            Issue.record("expected no response, got \(first.executions)")
            return
        }
        #expect(message.hasPrefix("no response to the request"))
        try await Task.sleep(for: .seconds(2))
        #expect(harness.memoryLimit == "256Mi")
        let second = await reconciler.pass()
        #expect(second.executions.isEmpty)
        #expect(second.verifications.map(\.state) == [.passed])
        #expect(try harness.records().filter { $0.type == .intent }.count == 1)
        try harness.expectIntact()
    }
}
