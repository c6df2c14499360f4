import Foundation
import KubeSim
import MedicController
import MedicKube
import MedicPolicy
import MedicRunbook
import Testing

/// `medic run` acts on causes only: a finding that a failing dependency explains waits while
/// that dependency's finding is open, and is decided again once it is gone.
@Suite("act on causes only", .timeLimit(.minutes(1)))
struct ActOnCausesTests {
    /// web calls api through its Service; web's own finding may be api's symptom.
    static let web = """
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec: {selector: {app: api}, ports: [{port: 8080}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: shop/web:2.0
                env: [{name: API_URL, value: "http://api:8080/v1"}]
        """

    static let slowCaller = """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: slow-caller, severity: high, title: web is slow, explainedBy: [dependency]}
        target: workload
        detect:
          - id: is-web
            cel: workload.name == "web"
        summary: "{{ workload.name }} is slow"
        remediate:
          - actions:
              - action: scale
                replicas: "2"
        """

    static let policy = """
        apiVersion: medic.io/v1
        kind: Policy
        metadata: {name: test}
        spec:
          mode: apply
          actions:
            default: denied
            scale: allowed
            set-resources: allowed
          caps: {maxMemoryLimit: 4Gi, maxReplicas: 5}
        """

    /// The shop with web calling api, whose pods are OOM-killed, and a reconciler in apply mode.
    static func start() async throws -> (ReconcilerHarness, Reconciler) {
        let started = try await ReconcilerHarness.start(memoryNeeded: 200)
        try started.sim.load(manifests: web)
        let harness = started.with(runbooks: started.runbooks + [try RunbookLoader.parse(slowCaller, file: "slow.yaml")])
        return (harness, harness.reconciler(policy: try PolicyLoader.parse(policy, file: "policy.yaml")))
    }

    @Test("the caller is not scaled while the dependency it calls is failing; the dependency is fixed")
    func symptomWaitsForItsCause() async throws {
        let (harness, reconciler) = try await Self.start()
        defer { Task { await harness.stop() } }

        let pass = await reconciler.pass()
        let web = try #require(pass.findings.first { $0.target.name == "web" })
        #expect(web.causedBy == ["oom-killed/Deployment/shop/api"])
        #expect(pass.executions.map(\.remediation.target.name) == ["api"])
        let waiting = try #require(pass.decisions.first { $0.identity.target.name == "web" })
        #expect(waiting.verdict == .blocked)
        #expect(waiting.reasons.first?.hasPrefix("waiting for the cause: oom-killed/Deployment/shop/api") == true)
        #expect(harness.sim.get(.deployment, namespace: "shop", name: "web")?[path: ["spec", "replicas"]]?.int == 1)
        let finding = try #require(try harness.records().first { $0.type == .finding && $0.target?.name == "web" })
        #expect(finding.payload.evidence?.contains("waiting for the cause: oom-killed/Deployment/shop/api") == true)
        // The wait is in the log as a decision of the caller's action, once while its reason holds.
        let recorded = try harness.records().filter { $0.type == .decision && $0.target?.name == "web" }
        #expect(recorded.map(\.payload.verdict) == ["waiting"])
        #expect(recorded.first?.action == waiting.actionID)
        #expect(recorded.first?.payload.reasons == waiting.reasons)
        // The next pass waits for the fix to reach web (a new reason, recorded), the one after
        // for the same reason (not recorded again).
        _ = await reconciler.pass()
        _ = await reconciler.pass()
        let reasons = try harness.records().filter { $0.type == .decision && $0.target?.name == "web" }.map { $0.payload.reasons ?? [] }
        #expect(reasons.count == 2)
        #expect(reasons.last?.first?.contains("medic fixed it with") == true, "\(reasons)")
    }

    /// The cause's finding can clear the moment its fix lands (a scaled workload no longer has
    /// few replicas) while the caller's latency lags by its metric window: the caller waits for
    /// its own verification window after the fix before medic decides on it.
    @Test("after the dependency is fixed, the caller waits out its verification window before it is decided")
    func symptomWaitsForTheFixToReachIt() async throws {
        let (harness, reconciler) = try await Self.start()
        defer { Task { await harness.stop() } }
        let fixed = try #require(await reconciler.pass().executions.first { $0.remediation.target.name == "api" })

        harness.clock.advance(by: 30)
        let after = await reconciler.pass()
        #expect(after.findings.map(\.id) == ["slow-caller/Deployment/shop/web"], "the OOM kill is fixed; web is still slow")
        let waiting = try #require(after.decisions.first { $0.identity.target.name == "web" })
        #expect(waiting.verdict == .blocked)
        #expect(waiting.reasons.first?.hasPrefix("waiting for the cause: oom-killed/Deployment/shop/api explains this finding, "
            + "medic fixed it with \(fixed.actionID) at 2026-03-10T12:00:00Z and decides this again from 2026-03-10T12:05:00Z") == true,
                "\(waiting.reasons)")
        #expect(after.executions.isEmpty)
        #expect(harness.sim.get(.deployment, namespace: "shop", name: "web")?[path: ["spec", "replicas"]]?.int == 1)

        // Still slow a verification window after the fix: the fix did not explain it after all.
        harness.clock.advance(by: 300)
        let later = await reconciler.pass()
        #expect(later.executions.map(\.remediation.target.name) == ["web"])
        #expect(harness.sim.get(.deployment, namespace: "shop", name: "web")?[path: ["spec", "replicas"]]?.int == 2)
    }
}
