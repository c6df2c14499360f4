import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicPolicy
import MedicRunbook
import Synchronization
import Testing

/// A clock tests move by hand, shared by KubeSim (pod timestamps) and the reconciler.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_773_144_000)) {  // 2026-03-10T12:00:00Z
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// The kubelet of the OOM scenario: a container whose memory limit is below the
/// `MEMORY_NEEDED_MI` of its env has been OOMKilled and is crash-looping; any other runs.
struct MemoryHungryPods: PodStatusModel {
    func status(for pod: JSON, podIP: String, now: Date) -> JSON {
        var status = HealthyPods().status(for: pod, podIP: podIP, now: now)
        let containers = pod[path: ["spec", "containers"]]?.array ?? []
        let statuses = (status["containerStatuses"]?.array ?? []).enumerated().map { index, healthy -> JSON in
            guard index < containers.count, Self.starved(containers[index]) else { return healthy }
            return Self.oomKilled(healthy, now: now)
        }
        status["containerStatuses"] = .array(statuses)
        return status
    }

    static func starved(_ container: JSON) -> Bool {
        let needed = container["env"]?.array?.first { $0["name"]?.string == "MEMORY_NEEDED_MI" }?["value"]?.string.flatMap { Int($0) }
        guard let needed, let limit = container[path: ["resources", "limits", "memory"]]?.string else { return false }
        let mebibytes = limit.hasSuffix("Gi") ? (Int(limit.dropLast(2)) ?? 0) * 1024 : Int(limit.dropLast(2)) ?? 0
        return mebibytes < needed
    }

    static func oomKilled(_ healthy: JSON, now: Date) -> JSON {
        var status = healthy
        let stamp = JSON.string(ISO8601DateFormatter().string(from: now))
        status["ready"] = false
        status["started"] = false
        status["restartCount"] = 3
        status["state"] = ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container"]]
        status["lastState"] = ["terminated": ["reason": "OOMKilled", "exitCode": 137, "startedAt": stamp, "finishedAt": stamp]]
        return status
    }
}

/// KubeSim serving one small shop on 127.0.0.1, an audit log in a temp directory, and the
/// oom-killed runbook: everything a reconcile scenario needs. Call `stop()` at the end.
struct ReconcilerHarness {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
    static let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
    static let apiPath = "/apis/apps/v1/namespaces/shop/deployments/api"

    static func manifests(memoryNeeded: Int) -> String {
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, labels: {app: api}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              containers:
              - name: api
                image: shop/api:1.4
                env: [{name: MEMORY_NEEDED_MI, value: "\(memoryNeeded)"}]
                resources: {limits: {memory: 128Mi}}
        """
    }

    static func policy(setResources permission: String, extra: String = "") throws -> Policy {
        try PolicyLoader.parse("""
            apiVersion: medic.io/v1
            kind: Policy
            metadata: {name: test}
            spec:
              mode: apply
              actions:
                default: denied
                set-resources: \(permission)
              caps: {maxMemoryLimit: 4Gi}
            \(extra)
            """, file: "test-policy.yaml")
    }

    let clock: TestClock
    let sim: KubeSim
    let server: RunningKubeSim
    let directory: URL
    let connection: ClusterConnection
    let audit: AuditLog
    let runbooks: [Runbook]

    var auditURL: URL { directory.appendingPathComponent("audit.jsonl") }

    static func start(memoryNeeded: Int = 200) async throws -> ReconcilerHarness {
        let clock = TestClock()
        let sim = KubeSim(podStatusModel: MemoryHungryPods(), clock: { clock.now })
        try sim.load(manifests: manifests(memoryNeeded: memoryNeeded))
        let server = try await sim.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-act-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let connection = try ClusterLocator(kubeconfig: kubeconfig, environment: [:]).connect()
        let audit = try AuditLog(url: directory.appendingPathComponent("audit.jsonl"), name: "test", now: clock.now)
        let runbooks = [try RunbookLoader.loadFile(repository.appendingPathComponent("runbooks/oom-killed.yaml"))]
        return ReconcilerHarness(clock: clock, sim: sim, server: server, directory: directory, connection: connection,
                                 audit: audit, runbooks: runbooks)
    }

    /// The same cluster and log, diagnosed with `runbooks` instead.
    func with(runbooks: [Runbook]) -> ReconcilerHarness {
        ReconcilerHarness(clock: clock, sim: sim, server: server, directory: directory, connection: connection,
                          audit: audit, runbooks: runbooks)
    }

    func reconciler(policy: Policy, mode: Mode? = nil, withWriter: Bool = true, writeTimeout: Duration = .seconds(10),
                    verification: VerificationSettings = VerificationSettings(defaultWindow: 300),
                    audit: AuditLog? = nil, namespace: String? = nil, remediations: RemediationStore? = nil) -> Reconciler {
        let writer = withWriter ? KubeWriter(connection: connection, timeout: writeTimeout) : nil
        let clock = clock
        return Reconciler(configuration: ReconcilerConfiguration(
            reader: KubeReader(connection: connection), writer: writer, runbooks: runbooks, policy: policy,
            requestedMode: mode, audit: audit ?? self.audit,
            events: writer.map { EventRecorder(writer: $0, instance: "medic-test-0", clock: { clock.now }) },
            clock: { clock.now }, verification: verification, identity: "medic-test-0", namespace: namespace,
            remediations: remediations))
    }

    /// A reconciler over a watched cache of the cluster, as `medic run` has, with the task that
    /// keeps the cache; end it with `stopWatching`.
    func watched(policy: Policy, timeoutSeconds: Int) -> (reconciler: Reconciler, informer: ClusterInformer, watching: Task<Void, Never>) {
        let informer = ClusterInformer(lists: ClusterSnapshotReader(reader: KubeReader(connection: connection)),
                                       timeoutSeconds: timeoutSeconds, syncTimeout: .seconds(10))
        let watching = Task { await informer.run() }
        var configuration = reconciler(policy: policy).configuration
        configuration.informer = informer
        return (Reconciler(configuration: configuration), informer, watching)
    }

    static func stopWatching(_ watching: Task<Void, Never>) async throws {
        watching.cancel()
        await watching.value
        // No watch may be on its way in when the server stops (ClusterInformerTests.with).
        try await Task.sleep(for: .milliseconds(300))
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Reading back

    func records() throws -> [AuditRecord] {
        try AuditLog.records(at: auditURL)
    }

    /// `type` or `type:verdict` for every record after genesis, in order.
    func recordKinds() throws -> [String] {
        try records().dropFirst().map { record in
            record.payload.verdict.map { "\(record.type.rawValue):\($0)" } ?? record.type.rawValue
        }
    }

    func expectIntact(sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard case .intact = try AuditVerifier.verify(auditURL) else {
            Issue.record("the audit log does not verify", sourceLocation: sourceLocation)
            return
        }
    }

    var deployment: JSON { sim.get(.deployment, namespace: "shop", name: "api")! }

    var memoryLimit: String? {
        deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?[path: ["resources", "limits", "memory"]]?.string
    }

    func events(reason: String) -> [JSON] {
        sim.objects(.event, namespace: "shop").filter { $0["reason"]?.string == reason }
    }

    /// Makes the running pods of the deployment OOM-killed again, as a leak coming back would.
    func reinjectOOM() throws {
        for pod in sim.objects(.pod, namespace: "shop") {
            var pod = pod
            let statuses = (pod[path: ["status", "containerStatuses"]]?.array ?? []).map { MemoryHungryPods.oomKilled($0, now: clock.now) }
            pod[path: ["status", "containerStatuses"]] = .array(statuses)
            _ = try sim.put(pod)
        }
    }
}
