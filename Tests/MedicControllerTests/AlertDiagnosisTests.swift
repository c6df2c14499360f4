import Foundation
import MedicController
import MedicDiagnosis
import MedicKube
import MedicRunbook
import Testing

/// A firing alert's pass answers it with the findings on the objects its labels name; its
/// resolve closes the incident that answer belonged to.
@Suite(.timeLimit(.minutes(1)))
struct AlertDiagnosisTests {
    static func payload(_ name: String, _ labels: [String: String], status: String = "firing",
                        fingerprint: String = "f00d") throws -> AlertmanagerPayload {
        let labels = labels.merging(["alertname": name]) { a, _ in a }
        return try AlertmanagerPayload.decode(try JSONSerialization.data(withJSONObject: [
            "version": "4", "status": status, "receiver": "medic",
            "alerts": [["status": status, "labels": labels, "fingerprint": fingerprint]],
        ]))
    }

    static func alert(_ name: String, _ labels: [String: String], fingerprint: String = "f00d") throws -> AlertmanagerPayload.Alert {
        try #require(try payload(name, labels, fingerprint: fingerprint).alerts.first)
    }

    static func runbook(_ name: String) throws -> Runbook {
        try RunbookLoader.loadFile(ReconcilerHarness.repository.appendingPathComponent("runbooks/\(name).yaml"))
    }

    @Test("a crash-loop alert on a pod is answered by its runbooks' finding on the pod's Deployment")
    func anAlertOnAPodFindsItsWorkload() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let pod = try #require(harness.sim.objects(.pod, namespace: "shop").first?["metadata"]?["name"]?.string)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), withWriter: false)
        let firing = try Self.alert("KubePodCrashLooping", ["namespace": "shop", "pod": pod, "container": "api"])
        let report = await reconciler.pass(alerts: .init(firing: [firing]))
        let answer = try #require(report.alerts.first)
        #expect(answer.objects == [ReconcilerHarness.api])
        #expect(answer.runbooks == ["oom-killed"])
        #expect(answer.findings.map(\.id) == ["oom-killed/Deployment/shop/api"])
        #expect(answer.incidents == ["oom-killed/Deployment/shop/api"])
        #expect(answer.lines.first?.hasPrefix(
            "alert KubePodCrashLooping (fingerprint f00d) → finding oom-killed on Deployment shop/api: api in api was OOMKilled") == true)
    }

    @Test("an alert on a healthy or missing object says medic finds nothing wrong; an unmapped alert asks every runbook")
    func nothingWrongIsSaid() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.with(runbooks: [try Self.runbook("oom-killed"), try Self.runbook("quota-exceeded")])
            .reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), withWriter: false)
        let report = await reconciler.pass(alerts: .init(firing: [
            try Self.alert("KubeDeploymentReplicasMismatch", ["namespace": "shop", "deployment": "web"], fingerprint: "a"),
            try Self.alert("SomeTeamAlert", ["namespace": "shop", "deployment": "api"], fingerprint: "b"),
            try Self.alert("KubeQuotaExceeded", ["namespace": "shop", "resourcequota": "compute"], fingerprint: "c"),
            try Self.alert("NodeDown", ["instance": "node-1"], fingerprint: "d"),
        ]))
        #expect(report.alerts.map(\.lines) == [
            ["alert KubeDeploymentReplicasMismatch (fingerprint a): medic finds nothing wrong with Deployment shop/web by its runbooks (quota-exceeded)"],
            report.alerts[1].findings.map { "alert SomeTeamAlert (fingerprint b) → finding oom-killed on Deployment shop/api: \($0.summary)" },
            ["alert KubeQuotaExceeded (fingerprint c): medic finds nothing wrong with namespace shop by its runbooks (quota-exceeded); "
                + "other findings there: oom-killed on Deployment shop/api"],
            ["alert NodeDown (fingerprint d): medic finds nothing wrong with no object by any runbook",
             "alert NodeDown (fingerprint d): it has no namespace label, so it names no object medic diagnoses"],
        ])
        #expect(report.alerts[1].runbooks == [] && report.alerts[1].findings.count == 1)
    }

    /// latency-rise is read on Services: an HPA alert on a workload is answered by the symptom
    /// on the Service that selects it.
    @Test("an alert on a workload is answered by the RED symptom on its Service")
    func aWorkloadsServiceAnswersForIt() throws {
        let snapshot = try Snapshot.load(contentsOf: ReconcilerHarness.repository
            .appendingPathComponent("docs/examples/cloudmart/snapshot.json"))
        let service = ObjectRef(kind: "Service", namespace: "production", name: "api-service")
        let elsewhere = ObjectRef(kind: "Service", namespace: "production", name: "gateway")
        let findings = [service, elsewhere].map {
            Finding(runbook: "latency-rise", severity: .medium, target: $0, summary: "\($0.name) answers slowly",
                    evidence: [], actions: [], conditions: [])
        }
        let answer = AlertDiagnosis(alert: try Self.alert("KubeHpaMaxedOut", ["namespace": "production", "horizontalpodautoscaler": "api-service"]),
                                    view: ClusterView(snapshot), findings: findings, undecided: [], incidents: [],
                                    triggers: ["KubeHpaMaxedOut": ["overload", "latency-rise"]])
        #expect(answer.objects == [ObjectRef(kind: "Deployment", namespace: "production", name: "api-service")])
        #expect(answer.findings.map(\.target) == [service])
    }

    @Test("a resolved alert closes the incident its firing pass linked, and the firing set drops it")
    func resolveClosesTheIncident() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), withWriter: false)
        let intake = AlertIntake()
        let labels = ["namespace": "shop", "deployment": "api"]
        func payload(_ status: String) throws -> AlertmanagerPayload {
            try Self.payload("KubePodOOMKilled", labels, status: status)
        }
        _ = await intake.receive(try payload("firing"))
        let fired = await reconciler.pass(alerts: await intake.take())
        let answer = try #require(fired.alerts.first)
        await intake.opened(answer.incidents, for: answer.alert.fingerprint)
        #expect(await intake.take().firing.isEmpty, "a pass takes each new alert once")

        #expect(await intake.receive(try payload("resolved")) == .init(resolved: 1))
        #expect(await intake.firing.isEmpty)
        let resolved = await reconciler.pass(alerts: await intake.take())
        #expect(resolved.closedAlerts.map(\.line) == [
            "alert KubePodOOMKilled (fingerprint f00d) resolved: incident oom-killed/Deployment/shop/api closed; "
                + "medic still finds oom-killed/Deployment/shop/api and keeps reporting it",
        ])
        // Resolved again (Alertmanager re-sends resolved notifications): nothing left to close.
        #expect(await intake.receive(try payload("resolved")) == .init())
        #expect(await intake.take().resolved.isEmpty)
    }
}
