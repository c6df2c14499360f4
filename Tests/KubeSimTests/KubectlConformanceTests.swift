import MedicKube
import Foundation
import Testing
@testable import KubeSim

/// The real kubectl against KubeSim: every command succeeds and changes the stored objects
/// exactly as it would on a real cluster.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct KubectlConformanceTests {
    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: demo, labels: {app: web}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: c
                image: nginx:1.25
                env: [{name: FOO, value: bar}, {name: KEEP, value: "yes"}]
                ports: [{containerPort: 80, protocol: TCP}]
              - name: sidecar
                image: busybox:1.36
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: demo}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 80}]
        """

    /// Runs `body` with a started KubeSim holding the `web` Deployment and kubectl pointed at it.
    func withCluster(_ body: (KubeSim, Kubectl) async throws -> Void) async throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.manifest)
        let server = try await sim.start()
        do {
            try await body(sim, try Kubectl(server: server))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func container(_ sim: KubeSim, _ name: String = "c") throws -> JSON {
        let deployment = try #require(sim.get(.deployment, namespace: "demo", name: "web"))
        return try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first { $0["name"]?.string == name })
    }

    func podImages(_ sim: KubeSim) -> [String] {
        sim.objects(.pod, namespace: "demo").compactMap { $0[path: ["spec", "containers"]]?.array?.first?["image"]?.string }
    }

    @Test func getPodsInAllNamespacesPrintsTheTableColumns() async throws {
        try await withCluster { sim, kubectl in
            let output = try await kubectl.succeed("get", "pods", "-A")
            let lines = output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            #expect(lines.first == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"])
            let names = sim.objects(.pod).map { ClusterState.name($0) }
            #expect(names.count == 2)
            let rows: [[String]] = lines.dropFirst().map { line in line.prefix(5).map { String($0) } }
            let expected: [[String]] = names.map { ["demo", $0, "2/2", "Running", "0"] }
            #expect(rows == expected)
        }
    }

    @Test func getDeploymentAsJSONReturnsTheStoredObject() async throws {
        try await withCluster { sim, kubectl in
            let output = try await kubectl.succeed("-n", "demo", "get", "deploy", "-o", "json")
            let list = try JSON(parsing: output)
            let item = try #require(list["items"]?.array?.first)
            let stored = try #require(sim.get(.deployment, namespace: "demo", name: "web"))
            #expect(item[path: ["metadata", "uid"]] == stored[path: ["metadata", "uid"]])
            #expect(item[path: ["status", "readyReplicas"]] == 2)
            #expect(item[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "1")
        }
    }

    @Test func describeDeploymentShowsReplicasAndNewReplicaSet() async throws {
        try await withCluster { sim, kubectl in
            let output = try await kubectl.succeed("-n", "demo", "describe", "deployment", "web")
            let set = try #require(sim.objects(.replicaSet, namespace: "demo").first)
            #expect(output.contains("Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable"))
            #expect(output.contains("StrategyType:           RollingUpdate"))
            #expect(output.contains("NewReplicaSet:   \(ClusterState.name(set)) (2/2 replicas created)"))
        }
    }

    @Test func setEnvSetsAndUnsetsVariables() async throws {
        try await withCluster { sim, kubectl in
            try await #expect(try await kubectl.succeed("-n", "demo", "set", "env", "deployment/web", "-c", "c", "NEW=1")
                == "deployment.apps/web env updated\n")
            try await #expect(try await container(sim)["env"] == [["name": "FOO", "value": "bar"], ["name": "KEEP", "value": "yes"],
                                                  ["name": "NEW", "value": "1"]])
            try await kubectl.succeed("-n", "demo", "set", "env", "deployment/web", "FOO-")
            try await #expect(try await container(sim)["env"] == [["name": "KEEP", "value": "yes"], ["name": "NEW", "value": "1"]])
            try await #expect(try await container(sim, "sidecar")["env"] == nil)
            let deployment = try #require(sim.get(.deployment, namespace: "demo", name: "web"))
            #expect(deployment[path: ["metadata", "generation"]] == 3)
            #expect(deployment[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "3")
            let pods = sim.objects(.pod, namespace: "demo")
            #expect(pods.count == 2)
            #expect(pods.allSatisfy { $0[path: ["spec", "containers"]]?.array?.first?["env"]
                == [["name": "KEEP", "value": "yes"], ["name": "NEW", "value": "1"]] })
        }
    }

    @Test func setImageRollsOutNewPods() async throws {
        try await withCluster { sim, kubectl in
            try await #expect(try await kubectl.succeed("-n", "demo", "set", "image", "deployment/web", "c=nginx:1.26")
                == "deployment.apps/web image updated\n")
            try await #expect(try await container(sim)["image"] == "nginx:1.26")
            #expect(podImages(sim) == ["nginx:1.26", "nginx:1.26"])
            let sets = sim.objects(.replicaSet, namespace: "demo")
            let replicas: [Int64] = sets.map { $0[path: ["spec", "replicas"]]?.int ?? -1 }.sorted()
            #expect(replicas == [0, 2])
        }
    }

    @Test func setResourcesChangesOneContainer() async throws {
        try await withCluster { sim, kubectl in
            try await kubectl.succeed("-n", "demo", "set", "resources", "deployment/web", "-c", "c", "--limits=memory=128Mi")
            // Defaulting takes the request from the new limit; the sidecar keeps its defaulted `{}`.
            try await #expect(try await container(sim)["resources"] == ["limits": ["memory": "128Mi"], "requests": ["memory": "128Mi"]])
            try await #expect(try await container(sim, "sidecar")["resources"] == [:])
        }
    }

    @Test func patchWithEachPatchType() async throws {
        try await withCluster { sim, kubectl in
            try await kubectl.succeed("-n", "demo", "patch", "deployment", "web", "--type", "strategic", "-p",
                                #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}"#)
            try await #expect(try await container(sim)["image"] == "nginx:1.27")
            try await #expect(try await container(sim, "sidecar")["image"] == "busybox:1.36")
            try await kubectl.succeed("-n", "demo", "patch", "deployment", "web", "--type", "merge", "-p",
                                #"{"metadata":{"labels":{"tier":"front"}}}"#)
            #expect(sim.get(.deployment, namespace: "demo", name: "web")?[path: ["metadata", "labels"]]
                == ["app": "web", "tier": "front"])
            try await kubectl.succeed("-n", "demo", "patch", "deployment", "web", "--type", "json", "-p",
                                #"[{"op":"replace","path":"/spec/template/spec/containers/1/image","value":"busybox:1.37"}]"#)
            try await #expect(try await container(sim, "sidecar")["image"] == "busybox:1.37")
            let again = try await kubectl.succeed("-n", "demo", "patch", "deployment", "web", "--type", "merge", "-p",
                                            #"{"metadata":{"labels":{"tier":"front"}}}"#)
            #expect(again == "deployment.apps/web patched (no change)\n")
        }
    }

    @Test func scaleChangesReplicasAndPods() async throws {
        try await withCluster { sim, kubectl in
            try await #expect(try await kubectl.succeed("-n", "demo", "scale", "deployment/web", "--replicas=4") == "deployment.apps/web scaled\n")
            #expect(sim.get(.deployment, namespace: "demo", name: "web")?[path: ["spec", "replicas"]] == 4)
            #expect(sim.objects(.pod, namespace: "demo").count == 4)
            let endpoints = sim.get(.endpoints, namespace: "demo", name: "web")
            #expect(endpoints?["subsets"]?.array?.first?["addresses"]?.array?.count == 4)
            try await kubectl.succeed("-n", "demo", "scale", "deployment/web", "--current-replicas=4", "--replicas=1")
            #expect(sim.objects(.pod, namespace: "demo").count == 1)
        }
    }

    @Test func rolloutRestartStampsTheTemplate() async throws {
        try await withCluster { sim, kubectl in
            let before = Set(sim.objects(.pod, namespace: "demo").map { ClusterState.name($0) })
            try await #expect(try await kubectl.succeed("-n", "demo", "rollout", "restart", "deployment/web") == "deployment.apps/web restarted\n")
            let deployment = try #require(sim.get(.deployment, namespace: "demo", name: "web"))
            #expect(deployment[path: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]]?.string != nil)
            let after = Set(sim.objects(.pod, namespace: "demo").map { ClusterState.name($0) })
            #expect(after.count == 2)
            #expect(after.isDisjoint(with: before))
        }
    }

    @Test func rolloutUndoReturnsToThePreviousTemplate() async throws {
        try await withCluster { sim, kubectl in
            try await kubectl.succeed("-n", "demo", "set", "image", "deployment/web", "c=nginx:bad")
            try await #expect(try await kubectl.succeed("-n", "demo", "rollout", "undo", "deployment/web") == "deployment.apps/web rolled back\n")
            try await #expect(try await container(sim)["image"] == "nginx:1.25")
            #expect(podImages(sim) == ["nginx:1.25", "nginx:1.25"])
            let revisions = sim.objects(.replicaSet, namespace: "demo").map {
                ($0[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string ?? "",
                 $0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.string ?? "")
            }.sorted { $0.0 < $1.0 }
            #expect(revisions.map { "\($0.0)@\($0.1)" } == ["nginx:1.25@3", "nginx:bad@2"])
            #expect(sim.get(.deployment, namespace: "demo", name: "web")?[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "3")
        }
    }

    @Test func serverDryRunStoresNothing() async throws {
        try await withCluster { sim, kubectl in
            let version = sim.resourceVersion
            try await #expect(try await kubectl.succeed("-n", "demo", "set", "image", "deployment/web", "c=nginx:1.26", "--dry-run=server")
                == "deployment.apps/web image updated (server dry run)\n")
            try await kubectl.succeed("-n", "demo", "scale", "deployment/web", "--replicas=5", "--dry-run=server")
            try await kubectl.succeed("-n", "demo", "delete", "deployment", "web", "--dry-run=server")
            #expect(sim.resourceVersion == version)
            try await #expect(try await container(sim)["image"] == "nginx:1.25")
            #expect(sim.objects(.pod, namespace: "demo").count == 2)
        }
    }

    @Test func absentObjectGivesKubectlsNotFoundText() async throws {
        try await withCluster { _, kubectl in
            let result = try await kubectl.run("-n", "demo", "get", "deployment", "nope")
            #expect(result.status == 1)
            #expect(result.stderr == "Error from server (NotFound): deployments.apps \"nope\" not found\n")
        }
    }

    @Test func deleteDeploymentCollectsItsReplicaSetsAndPods() async throws {
        try await withCluster { sim, kubectl in
            try await #expect(try await kubectl.succeed("-n", "demo", "delete", "deployment", "web") == "deployment.apps \"web\" deleted\n")
            #expect(sim.objects(.replicaSet, namespace: "demo").isEmpty)
            #expect(sim.objects(.pod, namespace: "demo").isEmpty)
            #expect(sim.get(.endpoints, namespace: "demo", name: "web")?["subsets"] == nil)
        }
    }

    // MARK: OpenAPI, apply, explain

    func write(_ kubectl: Kubectl, _ name: String, _ text: String) throws -> String {
        let file = kubectl.directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static func api(replicas: Int, extra: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: demo}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: api}}\(extra)
          template:
            metadata: {labels: {app: api}}
            spec:
              containers:
              - name: app
                image: api:1
                ports: [{containerPort: 8080}]
                livenessProbe: {httpGet: {path: /healthz, port: 8080}}
        """
    }

    @Test func clientSideApplyCreatesThenConfiguresWithValidationOn() async throws {
        try await withCluster { sim, kubectl in
            let first = try write(kubectl, "api.yaml", Self.api(replicas: 2))
            #expect(try await kubectl.succeed("apply", "-f", first) == "deployment.apps/api created\n")
            let second = try write(kubectl, "api3.yaml", Self.api(replicas: 3))
            #expect(try await kubectl.succeed("apply", "-f", second) == "deployment.apps/api configured\n")
            let stored = try #require(sim.get(.deployment, namespace: "demo", name: "api"))
            #expect(stored[path: ["spec", "replicas"]] == 3)
            let managers = ManagedFields.entries(of: stored).map { "\($0.manager)/\($0.operation)" }
            #expect(managers == ["kubectl-client-side-apply/Update"])
        }
    }

    @Test func unknownFieldIsRefusedWithTheStrictDecodingText() async throws {
        try await withCluster { _, kubectl in
            let file = try write(kubectl, "bad.yaml", Self.api(replicas: 1, extra: "\n  foo: 1"))
            let result = try await kubectl.run("apply", "-f", file)
            #expect(result.status == 1)
            #expect(result.stderr.contains("Error from server (BadRequest): error when creating \"\(file)\": Deployment in "
                + "version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.foo\""),
                "\(result.stderr)")
        }
    }

    @Test func serverSideApplyOwnsFieldsConflictsAndForces() async throws {
        try await withCluster { sim, kubectl in
            let two = try write(kubectl, "api.yaml", Self.api(replicas: 2))
            #expect(try await kubectl.succeed("apply", "--server-side", "-f", two) == "deployment.apps/api serverside-applied\n")
            let applied = try #require(sim.get(.deployment, namespace: "demo", name: "api"))
            let entry = try #require(applied[path: ["metadata", "managedFields"]]?.array?.first)
            #expect(entry["manager"] == "kubectl")
            #expect(entry["operation"] == "Apply")
            #expect(entry[path: ["fieldsV1", "f:spec", "f:replicas"]] == [:])
            #expect(entry[path: ["fieldsV1", "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "."]] == [:])
            try await kubectl.succeed("patch", "deployment", "api", "-n", "demo", "--type=merge", "-p", #"{"spec":{"replicas":4}}"#)
            let three = try write(kubectl, "api3.yaml", Self.api(replicas: 3))
            let conflict = try await kubectl.run("apply", "--server-side", "-f", three)
            #expect(conflict.status == 1)
            #expect(conflict.stderr.contains(
                "Apply failed with 1 conflict: conflict with \"kubectl-patch\" using apps/v1: .spec.replicas"), "\(conflict.stderr)")
            #expect(sim.get(.deployment, namespace: "demo", name: "api")?[path: ["spec", "replicas"]] == 4)
            try await kubectl.succeed("apply", "--server-side", "--force-conflicts", "-f", three)
            let forced = try #require(sim.get(.deployment, namespace: "demo", name: "api"))
            #expect(forced[path: ["spec", "replicas"]] == 3)
            #expect(ManagedFields.entries(of: forced).map(\.manager) == ["kubectl"])
        }
    }

    @Test func explainReadsTheServedSchema() async throws {
        try await withCluster { _, kubectl in
            let replicas = try await kubectl.succeed("explain", "deployment.spec.replicas")
            #expect(replicas.contains("KIND:       Deployment"), "\(replicas)")
            #expect(replicas.contains("FIELD: replicas <integer>"), "\(replicas)")
            #expect(replicas.contains("Number of desired pods."))
            let probe = try await kubectl.succeed("explain", "pod.spec.containers.livenessProbe")
            #expect(probe.contains("timeoutSeconds\t<integer>"), "\(probe)")
        }
    }

    /// `kubectl describe pod` of a pod created from a minimal manifest, line by line up to its
    /// Events, as a v1.32 cluster prints it once defaulting and the Priority, ServiceAccount and
    /// DefaultTolerationSeconds admission plugins have run (`describe.go` `describePod`). Only
    /// values a cluster picks (IP, container ID, times, the token volume's suffix) come from
    /// the stored pod. A real kubelet would then list Scheduled/Pulled/Created/Started Events,
    /// which KubeSim's healthy-pod model does not record.
    @Test func describeOfADefaultedPodMatchesARealClusterLineByLine() async throws {
        try await withCluster { sim, kubectl in
            let file = try write(kubectl, "pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: probe, namespace: demo}
                spec:
                  containers:
                  - name: app
                    image: api:1
                    ports: [{containerPort: 8080}]
                    livenessProbe: {httpGet: {path: /healthz, port: 8080}}
                    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 5}
                """)
            try await kubectl.succeed("create", "-f", file)
            let pod = try #require(sim.get(.pod, namespace: "demo", name: "probe"))
            let ip = pod[path: ["status", "podIP"]]?.string ?? ""
            let containerID = pod[path: ["status", "containerStatuses"]]?.array?.first?["containerID"]?.string ?? ""
            let volume = pod[path: ["spec", "volumes"]]?.array?.first?["name"]?.string ?? ""
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            let started = formatter.string(from: try #require(pod[path: ["status", "startTime"]]?.string.flatMap(Timestamp.parse)))
            let expected = """
                Name:             probe
                Namespace:        demo
                Priority:         0
                Service Account:  default
                Node:             kube-sim/10.0.0.1
                Start Time:       \(started)
                Labels:           <none>
                Annotations:      <none>
                Status:           Running
                IP:               \(ip)
                IPs:
                  IP:  \(ip)
                Containers:
                  app:
                    Container ID:   \(containerID)
                    Image:          api:1
                    Image ID:       docker.io/library/api:1
                    Port:           8080/TCP
                    Host Port:      0/TCP
                    State:          Running
                      Started:      \(started)
                    Ready:          True
                    Restart Count:  0
                    Liveness:       http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
                    Readiness:      tcp-socket :8080 delay=0s timeout=1s period=5s #success=1 #failure=3
                    Environment:    <none>
                    Mounts:
                      /var/run/secrets/kubernetes.io/serviceaccount from \(volume) (ro)
                Conditions:
                  Type                        Status
                  PodReadyToStartContainers   True\u{20}
                  Initialized                 True\u{20}
                  Ready                       True\u{20}
                  ContainersReady             True\u{20}
                  PodScheduled                True\u{20}
                Volumes:
                  \(volume):
                    Type:                    Projected (a volume that contains injected data from multiple sources)
                    TokenExpirationSeconds:  3607
                    ConfigMapName:           kube-root-ca.crt
                    ConfigMapOptional:       <nil>
                    DownwardAPI:             true
                QoS Class:                   BestEffort
                Node-Selectors:              <none>
                Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
                """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let describe = try await kubectl.succeed("describe", "pod", "probe", "-n", "demo")
            let lines = describe.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (index, line) in expected.enumerated() {
                #expect(index < lines.count && lines[index] == line, "line \(index + 1): expected \(line)\ngot:\n\(describe)")
            }
            #expect(lines.dropFirst(expected.count).first?.hasPrefix("Events:") == true)
        }
    }
}
