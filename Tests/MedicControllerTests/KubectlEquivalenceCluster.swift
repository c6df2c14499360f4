import Foundation
import KubeSim
import MedicAudit
import MedicKube
import MedicProcess
import MedicRemediation
import Testing
@testable import MedicController

/// One fresh KubeSim holding the shop fixture, reachable both by the real kubectl and by
/// medic's Executor, so a test can make the same change each way on identical clusters and
/// compare what the server ends up holding. Call `stop()` at the end.
struct KubectlEquivalenceCluster {
    static let kubectlPath = "/usr/bin/kubectl"
    static let namespace = "shop"
    /// Every object the simulator stamps gets this time, so timestamps match across clusters.
    static let fixedTime = Date(timeIntervalSince1970: 1_773_144_000)  // 2026-03-10T12:00:00Z

    /// Two containers, env with a literal and a `valueFrom`, resources, two probes; a Service
    /// whose selector is off by one key and has one stale key.
    static let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: shop}
        data: {DB_HOST: db.shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, labels: {app: api}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api, tier: web}}
            spec:
              containers:
              - name: api
                image: shop/api:1.4
                ports: [{containerPort: 8080}]
                env:
                - {name: LOG_LEVEL, value: info}
                - name: DB_HOST
                  valueFrom: {configMapKeyRef: {name: api-config, key: DB_HOST}}
                - {name: POOL_SIZE, value: "10"}
                resources:
                  limits: {cpu: 500m, memory: 128Mi}
                  requests: {cpu: 250m, memory: 64Mi}
                livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 10}
                readinessProbe: {tcpSocket: {port: 8080}}
              - name: proxy
                image: shop/proxy:2.1
                env: [{name: LOG_LEVEL, value: warn}]
                resources: {limits: {memory: 64Mi}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          selector: {app: api, tier: frontend, legacy: "yes"}
          ports: [{port: 80, targetPort: 8080}]
        """

    let sim: KubeSim
    let server: RunningKubeSim
    let directory: URL
    let kubeconfig: String

    /// Loads the fixture, then rolls the Deployment to `shop/api:1.5` so it has a second
    /// revision for `rollout undo` to go back from.
    static func start() async throws -> KubectlEquivalenceCluster {
        let sim = KubeSim(clock: { fixedTime })
        try sim.load(manifests: manifests)
        var deployment = try #require(sim.get(.deployment, namespace: namespace, name: "api"))
        var containers = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array)
        containers[0]["image"] = "shop/api:1.5"
        deployment[path: ["spec", "template", "spec", "containers"]] = .array(containers)
        try sim.put(deployment)
        let server = try await sim.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-equivalence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        return KubectlEquivalenceCluster(sim: sim, server: server, directory: directory, kubeconfig: kubeconfig)
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: The two ways to act

    /// Runs `arguments` (argv starting with "kubectl") with this cluster's kubeconfig inserted
    /// after the program name, a private HOME and cache, in UTC, killed after `timeout`.
    func kubectl(_ arguments: [String], timeout: TimeInterval = 30) async throws -> (status: Int32, output: String) {
        try await Self.kubectl(arguments, kubeconfig: kubeconfig, directory: directory, timeout: timeout)
    }

    /// `kubectl(_:timeout:)` for any KubeSim: `directory` holds its cache, HOME and output.
    static func kubectl(_ arguments: [String], kubeconfig: String, directory: URL,
                        timeout: TimeInterval = 30) async throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: Self.kubectlPath) else {
            throw EquivalenceFailure("kubectl is not installed at \(Self.kubectlPath); the equivalence tests need the real binary")
        }
        let cache = directory.appendingPathComponent("cache").path
        let log = directory.appendingPathComponent("kubectl-\(UUID().uuidString).log")
        let process = try ChildProcess.spawn(
            Self.kubectlPath, ["--kubeconfig", kubeconfig, "--cache-dir", cache] + arguments.dropFirst(),
            environment: ["HOME": directory.path, "KUBECACHEDIR": cache, "PATH": "/usr/bin:/bin", "TZ": "UTC"],
            stdout: .file(log.path), stderr: .standardOutput)
        // Polls rather than blocks: the in-process server answers on the same cooperative pool.
        guard let ended = await process.waitForExit(within: .seconds(timeout)) else {
            await process.terminate(grace: .seconds(5))
            throw EquivalenceFailure("\(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        return (ended.shellStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Sends `remediation` the way the act stage does: the Executor re-reads the target, renders
    /// the request from it with `now` as the clock, dry-runs it, then sends it with the
    /// resourceVersion precondition.
    func medic(_ remediation: Remediation, now: Date) async throws -> ExecutionResult {
        try await executor(now: now).execute(remediation, actionID: "a1", incident: "i1", mode: .apply).result
    }

    /// The act stage's Executor on this cluster, writing to `auditURL`.
    func executor(now: Date) throws -> Executor {
        let connection = try ClusterLocator(kubeconfig: kubeconfig, environment: [:]).connect()
        let audit = try AuditLog(url: auditURL, name: "equivalence", now: now)
        return Executor(reader: KubeReader(connection: connection, timeout: .seconds(10)),
                        writer: KubeWriter(connection: connection, timeout: .seconds(10)),
                        audit: audit, clock: { now })
    }

    var auditURL: URL { directory.appendingPathComponent("audit.jsonl") }

    // MARK: Reading back

    /// What an action can change, minus what legitimately differs between two clusters: the
    /// target as stored, every ReplicaSet, how many pods each ReplicaSet owns (pod names are
    /// random) and how many addresses each Endpoints object has.
    func state(of target: ObjectRef) throws -> JSON {
        let type: ResourceType = target.kind == "Service" ? .service : .deployment
        let object = try #require(sim.get(type, namespace: target.namespace, name: target.name))
        var replicaSets: [String: JSON] = [:]
        for set in sim.objects(.replicaSet, namespace: Self.namespace) {
            replicaSets[set[path: ["metadata", "name"]]?.string ?? ""] = Self.normalized(set)
        }
        var pods: [String: JSON] = [:]
        for pod in sim.objects(.pod, namespace: Self.namespace) {
            let owner = pod[path: ["metadata", "ownerReferences"]]?.array?.first?["name"]?.string ?? "<none>"
            pods[owner] = .int((pods[owner]?.int ?? 0) + 1)
        }
        var endpoints: [String: JSON] = [:]
        for item in sim.objects(.endpoints, namespace: Self.namespace) {
            let addresses = (item["subsets"]?.array ?? []).reduce(0) { $0 + ($1["addresses"]?.array?.count ?? 0) }
            endpoints[item[path: ["metadata", "name"]]?.string ?? ""] = .int(Int64(addresses))
        }
        return ["target": Self.normalized(object), "replicaSets": .object(replicaSets),
                "podsByOwner": .object(pods), "endpointAddresses": .object(endpoints)]
    }

    /// Drops the server-assigned identity fields: resourceVersion, uid, creationTimestamp,
    /// managedFields, generation (and the owner uids that point at other objects' uids).
    static func normalized(_ object: JSON) -> JSON {
        var object = object
        for field in ["resourceVersion", "uid", "creationTimestamp", "managedFields", "generation"] {
            object[path: ["metadata", field]] = nil
        }
        if let owners = object[path: ["metadata", "ownerReferences"]]?.array {
            object[path: ["metadata", "ownerReferences"]] = .array(owners.map { owner in
                var owner = owner
                owner["uid"] = nil
                return owner
            })
        }
        return object
    }

    /// Every place two JSON values differ, as `path: kubectl=… medic=…` lines.
    static func differences(_ left: JSON, _ right: JSON, at path: String = "") -> [String] {
        if let leftFields = left.object, let rightFields = right.object {
            return Set(leftFields.keys).union(rightFields.keys).sorted().flatMap { key in
                differences(leftFields[key] ?? .null, rightFields[key] ?? .null, at: "\(path)/\(key)")
            }
        }
        if let leftItems = left.array, let rightItems = right.array, leftItems.count == rightItems.count {
            return zip(leftItems, rightItems).enumerated().flatMap { index, pair in
                differences(pair.0, pair.1, at: "\(path)/\(index)")
            }
        }
        return left == right ? [] : ["\(path): kubectl=\(left.text) medic=\(right.text)"]
    }
}

struct EquivalenceFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
