import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicPolicy
import Testing

@Suite("reconciler modes", .timeLimit(.minutes(1)))
struct ReconcilerModeTests {
    @Test("advise mode sends no mutating request: the cluster's resourceVersion does not move")
    func adviseSendsNothing() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let before = harness.sim.resourceVersion
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), withWriter: false)
        #expect(reconciler.mode == .advise)

        let report = await reconciler.pass()
        #expect(report.errors == [])
        #expect(report.findings.map(\.runbook) == ["oom-killed"])
        #expect(report.decisions.map(\.verdict) == [.allowed])
        #expect(report.decisions.first?.command == "kubectl -n shop set resources deployment/api -c api --limits=memory=256Mi")
        #expect(report.executions.isEmpty)
        #expect(harness.sim.resourceVersion == before)
        _ = await reconciler.pass()
        #expect(harness.sim.resourceVersion == before)
        #expect(try harness.recordKinds() == ["finding", "decision:allowed"])
        try harness.expectIntact()
    }

    @Test("dry-run sends each allowed action with dryRun=All once, and changes nothing")
    func dryRunChangesNothing() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let before = harness.sim.resourceVersion
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), mode: .dryRun)
        #expect(reconciler.mode == .dryRun)

        let first = await reconciler.pass()
        #expect(first.executions.map(\.result) == [.dryRunAccepted])
        let second = await reconciler.pass()
        #expect(second.executions.isEmpty)
        #expect(second.decisions.map(\.verdict) == [.blocked])
        #expect(second.decisions.first?.reasons.first?.hasPrefix("already proven by the server-side dry run of ") == true)
        #expect(harness.sim.resourceVersion == before)
        #expect(harness.memoryLimit == "128Mi")
        let records = try harness.records()
        #expect(try harness.recordKinds() == ["finding", "decision:allowed", "intent", "outcome"])
        #expect(records[3].payload.mode == "dry-run")
        #expect(records[4].payload.status == 200)
        try harness.expectIntact()
    }

    @Test("apply doubles the limit of an OOM-killed deployment: intent on disk before the outcome, Event MedicApplied")
    func applyFixesOOM() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"))
        #expect(reconciler.mode == .apply)

        let report = await reconciler.pass()
        #expect(report.errors == [])
        #expect(report.executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        let records = try harness.records()
        #expect(try harness.recordKinds() == ["finding", "decision:allowed", "intent", "outcome"])
        let intent = records[3], outcome = records[4]
        #expect(intent.action == outcome.action)
        #expect(intent.seq < outcome.seq)
        #expect(intent.payload.mode == "apply")
        #expect(intent.payload.method == "PATCH")
        #expect(intent.payload.path == "/apis/apps/v1/namespaces/shop/deployments/api?fieldManager=kubectl-set")
        // Only the field the action changes is kept, not the rest of the template.
        #expect(intent.payload.detail == #"{"pointer":"/spec/template/spec/containers/0/resources","value":{"limits":{"memory":"128Mi"},"requests":{"memory":"128Mi"}}}"#)
        #expect(outcome.payload.status == 200)

        let applied = try #require(harness.events(reason: "MedicApplied").first)
        #expect(applied["type"]?.string == "Normal")
        #expect(applied[path: ["involvedObject", "kind"]]?.string == "Deployment")
        #expect(applied[path: ["involvedObject", "apiVersion"]]?.string == "apps/v1")
        #expect(applied[path: ["involvedObject", "name"]]?.string == "api")
        #expect(applied[path: ["involvedObject", "uid"]]?.string == harness.deployment[path: ["metadata", "uid"]]?.string)
        #expect(applied[path: ["source", "component"]]?.string == "medic")
        #expect(applied["reportingComponent"]?.string == "medic")
        #expect(applied["reportingInstance"]?.string == "medic-test-0")
        #expect(applied["count"]?.int == 1)
        #expect(applied[path: ["metadata", "name"]]?.string?.hasPrefix("api.") == true)
        #expect(applied["message"]?.string?.hasPrefix("kubectl -n shop set resources deployment/api -c api --limits=memory=256Mi (action \(intent.action!), oom-killed): applied; verifying within 5m") == true)
        try harness.expectIntact()
    }

    @Test("a policy-denied action is never sent: the denial is recorded once with its reasons, Event MedicDenied")
    func deniedIsNeverExecuted() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let version = harness.deployment[path: ["metadata", "resourceVersion"]]
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "denied"))

        let report = await reconciler.pass()
        #expect(report.decisions.map(\.verdict) == [.denied])
        #expect(report.decisions.first?.reasons == ["action: actions.set-resources is denied"])
        #expect(report.executions.isEmpty)
        _ = await reconciler.pass()
        #expect(harness.deployment[path: ["metadata", "resourceVersion"]] == version)
        #expect(try harness.recordKinds() == ["finding", "decision:denied"])
        #expect(try harness.records()[2].payload.reasons == ["action: actions.set-resources is denied"])
        #expect(harness.events(reason: "MedicDenied").count == 1)
        try harness.expectIntact()
    }
}
