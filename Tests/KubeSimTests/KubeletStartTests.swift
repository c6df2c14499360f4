import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// The kubelet model's init containers, start errors, HTTP probe statuses and
/// FallbackToLogsOnError.
@Suite(.timeLimit(.minutes(2)))
struct KubeletStartTests {
    let kubelet = KubeletTests()

    static let apps = """
        [{image: cloudmart/api, listens: [8080], binaries: [/app/server, /bin/sh], paths: {/healthz: 200, /metrics: 200}},
         {image: cloudmart/migrate, exit: {after: 5s, code: 0, log: "migrated 3 tables"}},
         {image: cloudmart/wait-db, listens: []},
         {image: cloudmart/bad-migrate, exit: {after: 2s, code: 3, log: "ERROR: relation \\"orders\\" does not exist"}}]
        """

    /// One `shop/api` Deployment whose pod spec is `podSpec` (flow style).
    static func scenario(history: String, podSpec: String, apps: String = apps) -> String {
        """
        apiVersion: kubesim.medic.io/v1
        kind: Scenario
        metadata: {name: start}
        spec:
          history: \(history)
          apps: \(apps)
          timeline:
          - after: 0s
            apply:
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: api, namespace: shop}
              spec:
                selector: {matchLabels: {app: api}}
                template:
                  metadata: {labels: {app: api}}
                  spec: \(podSpec.replacingOccurrences(of: "\n", with: " "))
        """
    }

    func statuses(_ pod: JSON, _ field: String = "containerStatuses") -> [JSON] {
        pod[path: ["status", field]]?.array ?? []
    }

    func table(_ pod: JSON) -> String {
        let renderer = TableRenderer(now: KubeletTests.start)
        let table = renderer.table(.pod, objects: [pod], listMetadata: [:], includeObject: "None")
        return table[path: ["rows"]]?.array?.first?["cells"]?.array?[2].string ?? ""
    }

    @Test func initContainersRunInOrderBeforeTheApp() throws {
        let sim = try kubelet.play(Self.scenario(history: "60s", podSpec: """
            {containers: [{name: api, image: "cloudmart/api:v1.0"}],
             initContainers: [{name: migrate, image: "cloudmart/migrate:v1"}, {name: seed, image: "busybox:1.36"}]}
            """))
        let pod = try kubelet.onlyPod(sim)
        let inits = statuses(pod, "initContainerStatuses")
        #expect(inits.map { $0[path: ["state", "terminated", "reason"]] } == ["Completed", "Completed"])
        #expect(inits.map { $0["ready"] } == [true, true])
        let start = KubeletTests.start.addingTimeInterval(-60)
        #expect(inits[0][path: ["state", "terminated", "finishedAt"]] == .string(Timestamp.format(start.addingTimeInterval(5))))
        #expect(inits[1][path: ["state", "terminated", "finishedAt"]] == .string(Timestamp.format(start.addingTimeInterval(6))))
        #expect(statuses(pod).first?[path: ["state", "running", "startedAt"]] == .string(Timestamp.format(start.addingTimeInterval(6))))
        #expect(ClusterState.isReady(pod: pod))
        let log = sim.state.withLock { $0.logs[.init(namespace: "shop", pod: ClusterState.name(pod), container: "migrate", previous: false)] }
        #expect(log == "migrated 3 tables\n")
        let event = try #require(sim.objects(.event, namespace: "shop").first { $0["message"] == "Started container migrate" })
        #expect(event[path: ["involvedObject", "fieldPath"]] == "spec.initContainers{migrate}")
    }

    @Test func anInitContainerThatNeverEndsKeepsThePodInitializing() throws {
        let sim = try kubelet.play(Self.scenario(history: "5m", podSpec: """
            {containers: [{name: api, image: "cloudmart/api:v1.0"}], initContainers: [{name: wait-db, image: "cloudmart/wait-db:v1"}]}
            """))
        let pod = try kubelet.onlyPod(sim)
        #expect(pod[path: ["status", "phase"]] == "Pending")
        #expect(table(pod) == "Init:0/1")
        #expect(statuses(pod).first?["state"] == ["waiting": ["reason": "PodInitializing"]])
        let initialized = (pod[path: ["status", "conditions"]]?.array ?? []).first { $0["type"] == "Initialized" }
        #expect(initialized?["status"] == "False")
        #expect(initialized?["reason"] == "ContainersNotInitialized")
        #expect(initialized?["message"] == "containers with incomplete status: [wait-db]")
    }

    @Test func aFailingInitContainerCrashLoops() throws {
        let sim = try kubelet.play(Self.scenario(history: "2m", podSpec: """
            {containers: [{name: api, image: "cloudmart/api:v1.0"}],
             initContainers: [{name: migrate, image: "cloudmart/bad-migrate:v1", terminationMessagePolicy: FallbackToLogsOnError}]}
            """))
        let pod = try kubelet.onlyPod(sim)
        #expect(table(pod) == "Init:CrashLoopBackOff")
        let status = try #require(statuses(pod, "initContainerStatuses").first)
        #expect(status[path: ["lastState", "terminated", "exitCode"]] == 3)
        #expect(status[path: ["lastState", "terminated", "reason"]] == "Error")
        #expect(status[path: ["lastState", "terminated", "message"]] == "ERROR: relation \"orders\" does not exist\n")
        #expect(statuses(pod).first?[path: ["state", "waiting", "reason"]] == "PodInitializing")
    }

    @Test func aCommandTheImageDoesNotHaveIsAStartError() throws {
        let sim = try kubelet.play(Self.scenario(history: "60s", podSpec: "{containers: [{name: api, image: \"cloudmart/api:v1.0\", command: [serve]}]}"))
        let pod = try kubelet.onlyPod(sim)
        let status = try #require(statuses(pod).first)
        let error = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: "
            + "unable to start container process: exec: \"serve\": executable file not found in $PATH: unknown"
        #expect(status[path: ["lastState", "terminated", "reason"]] == "StartError")
        #expect(status[path: ["lastState", "terminated", "exitCode"]] == 128)
        #expect(status[path: ["lastState", "terminated", "message"]] == .string(error))
        #expect(status[path: ["lastState", "terminated", "startedAt"]] == "1970-01-01T00:00:00Z")
        #expect(status[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
        #expect((status["restartCount"]?.int ?? 0) >= 2)
        #expect(kubelet.events(sim, pod: pod)["Failed: Error: \(error)"] ?? 0 >= 2)
        #expect(kubelet.events(sim, pod: pod)["Started: Started container api"] == nil)

        let found = try kubelet.play(Self.scenario(history: "30s", podSpec: "{containers: [{name: api, image: \"cloudmart/api:v1.0\", command: [server]}]}"))
        #expect(statuses(try kubelet.onlyPod(found)).first?["ready"] == true)
        let absolute = try kubelet.play(Self.scenario(history: "30s", podSpec: "{containers: [{name: api, image: \"cloudmart/api:v1.0\", command: [/usr/bin/server]}]}"))
        #expect(statuses(try kubelet.onlyPod(absolute)).first?[path: ["lastState", "terminated", "message"]]?.string?
            .contains("exec: \"/usr/bin/server\": stat /usr/bin/server: no such file or directory: unknown") == true)
    }

    @Test func anHTTPProbeOnAPathTheAppDoesNotServeFailsWithItsStatus() throws {
        let sim = try kubelet.play(Self.scenario(history: "60s", podSpec: "{containers: [{name: api, image: \"cloudmart/api:v1.0\", readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}}]}"))
        let pod = try kubelet.onlyPod(sim)
        #expect(ClusterState.isReady(pod: pod) == false)
        #expect((kubelet.events(sim, pod: pod)["Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404"] ?? 0) > 5)

        let healthy = try kubelet.play(Self.scenario(history: "60s", podSpec: "{containers: [{name: api, image: \"cloudmart/api:v1.0\", readinessProbe: {httpGet: {path: /healthz, port: 8080}}}]}"))
        #expect(ClusterState.isReady(pod: try kubelet.onlyPod(healthy)))
    }

    @Test func fallbackToLogsOnErrorPutsTheLogTailIntoTheMessage() throws {
        let sim = try kubelet.play(KubeletTests.scenario(
            history: "30s",
            container: "{name: api, image: cloudmart/api:v1.0, terminationMessagePolicy: FallbackToLogsOnError}",
            apps: KubeletTests.apiApp))
        let status = try #require(statuses(try kubelet.onlyPod(sim)).first)
        #expect(status[path: ["lastState", "terminated", "message"]] == "FATAL: environment variable DATABASE_URL is not set\n")
        #expect(ContainerRuntime.logTail(String(repeating: "line\n", count: 100)) == String(repeating: "line\n", count: 80))
    }
}

/// Init containers and start errors as the real kubectl prints them.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct KubeletStartKubectlTests {
    @Test func getAndDescribeShowInitAndStartErrors() async throws {
        let scenario = KubeletStartTests.scenario(history: "2m", podSpec: """
            {containers: [{name: api, image: "cloudmart/api:v1.0", command: [serve]}],
             initContainers: [{name: migrate, image: "cloudmart/migrate:v1"}]}
            """)
        let sim = try KubeletTests().play(scenario)
        let server = try await sim.start()
        do {
            let kubectl = try Kubectl(server: server)
            let row = try await kubectl.succeed("get", "pods", "-n", "shop", "--no-headers")
                .split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(Array(row[1...2]) == ["0/1", "CrashLoopBackOff"])
            let describe = try await kubectl.succeed("describe", "pod", "-n", "shop", row[0])
            #expect(describe.contains("Init Containers:"))
            #expect(describe.contains("      Reason:       Completed"))
            #expect(describe.contains("      Reason:       StartError"))
            #expect(describe.contains("      Exit Code:    128"))
            #expect(describe.contains("exec: \"serve\": executable file not found in $PATH: unknown"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// CreateContainerConfigError: a ConfigMap or Secret (or a key in one) the container's
/// environment needs is missing; the kubelet says so and tries again.
@Suite(.timeLimit(.minutes(2)))
struct KubeletConfigErrorTests {
    let kubelet = KubeletTests()

    @Test(arguments: [
        ("{name: A, valueFrom: {configMapKeyRef: {name: settings, key: missing}}}", "couldn't find key missing in ConfigMap shop/settings"),
        ("{name: A, valueFrom: {configMapKeyRef: {name: absent, key: a}}}", "configmap \"absent\" not found"),
        ("{name: A, valueFrom: {secretKeyRef: {name: absent, key: a}}}", "secret \"absent\" not found"),
        ("{name: A, valueFrom: {configMapKeyRef: {name: absent, key: a, optional: true}}}", nil),
    ])
    func missingConfigStopsTheContainerWithTheKubeletsText(env: String, message: String?) throws {
        let scenario = KubeletStartTests.scenario(history: "60s", podSpec: """
            {containers: [{name: api, image: "cloudmart/api:v1.0", env: [\(env)]}]}
            """).replacingOccurrences(of: "  timeline:\n", with: """
              timeline:
              - after: 0s
                apply:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: shop}, data: {a: "1"}}

            """)
        let sim = try kubelet.play(scenario)
        let pod = try kubelet.onlyPod(sim)
        let state = pod[path: ["status", "containerStatuses"]]?.array?.first?["state"]
        guard let message else {
            #expect(state?["running"] != nil)
            return
        }
        #expect(state == ["waiting": ["reason": "CreateContainerConfigError", "message": .string(message)]])
        let failures = sim.objects(.event, namespace: "shop").filter { $0["message"] == .string("Error: \(message)") }
        #expect(failures.count == 1)
        #expect((failures.first?["count"]?.int ?? 0) >= 5, "tried again every 10s for 60s")
    }
}
