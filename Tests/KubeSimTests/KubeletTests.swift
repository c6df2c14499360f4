import Foundation
import MedicKube
import Synchronization
import Testing
@testable import KubeSim

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let time: Mutex<Date>
    init(_ start: Date) { time = Mutex(start) }
    var now: Date { time.withLock { $0 } }
    func move(by seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The scenario kubelet: what pods go through when their apps misbehave, as a real kubelet reports it.
@Suite(.timeLimit(.minutes(2)))
struct KubeletTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A scenario with one `shop/api` Deployment applied at the start; `container` is its
    /// container's YAML (flow style), `apps` the scenario's app entries.
    static func scenario(history: String, container: String, apps: String = "[]", registry: String = "[]",
                         replicas: Int = 1, extraTimeline: String = "") -> String {
        """
        apiVersion: kubesim.medic.io/v1
        kind: Scenario
        metadata: {name: test}
        spec:
          history: \(history)
          registry: \(registry)
          apps: \(apps)
          timeline:
          - after: 0s
            apply:
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: api, namespace: shop}
              spec:
                replicas: \(replicas)
                selector: {matchLabels: {app: api}}
                template:
                  metadata: {labels: {app: api}}
                  spec:
                    containers:
                    - \(container)
            - apiVersion: v1
              kind: Service
              metadata: {name: api, namespace: shop}
              spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}
        \(extraTimeline)
        """
    }

    static let apiApp = "[{image: cloudmart/api, listens: [8080], requiredEnv: [DATABASE_URL], startup: 2s, memory: {idle: 50Mi, underLoad: 300Mi}}]"

    func play(_ text: String, clock: TestClock = TestClock(start)) throws -> KubeSim {
        let sim = KubeSim(clock: { clock.now })
        try sim.play(try ScenarioLoader.load(text))
        return sim
    }

    func pods(_ sim: KubeSim) -> [JSON] { sim.objects(.pod, namespace: "shop") }

    func onlyPod(_ sim: KubeSim) throws -> JSON {
        let all = pods(sim)
        try #require(all.count == 1)
        return all[0]
    }

    func containerStatus(_ pod: JSON) throws -> JSON {
        try #require(pod[path: ["status", "containerStatuses"]]?.array?.first)
    }

    /// `reason: message` → count, for the pod's Events.
    func events(_ sim: KubeSim, pod: JSON) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for event in sim.objects(.event, namespace: "shop")
        where event[path: ["involvedObject", "uid"]]?.string == ClusterState.uid(pod) {
            counts["\(event["reason"]?.string ?? ""): \(event["message"]?.string ?? "")", default: 0] += event["count"]?.int ?? 0
        }
        return counts
    }

    /// Runs only the kubelet from the clock's time for `seconds`, in ticks of `step`, with `load`
    /// on every pod: the traffic model's part, by hand.
    func runKubelet(_ sim: KubeSim, clock: TestClock, seconds: TimeInterval, step: TimeInterval, load: PodLoad) {
        for _ in 0..<Int(seconds / step) {
            clock.move(by: step)
            sim.state.withLock { state in
                guard var runtime = state.runtime else { return }
                state.runtime = nil
                let loads = Dictionary(uniqueKeysWithValues: state.list(.pod).map {
                    (ClusterState.key(ClusterState.namespace($0), ClusterState.name($0)), load)
                })
                runtime.kubelet.advance(to: clock.now, by: step, loads: loads, cluster: &state)
                state.runtime = runtime
                state.settle()
            }
        }
    }

    @Test func missingImageBacksOffPullingWithContainerdsNotFoundText() throws {
        let sim = try play(Self.scenario(history: "60s", container: "{name: api, image: cloudmart/api:v2.0}",
                                         registry: "[cloudmart/api:v1.0]"))
        let pod = try onlyPod(sim)
        let error = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/cloudmart/api:v2.0\": "
            + "failed to resolve reference \"docker.io/cloudmart/api:v2.0\": docker.io/cloudmart/api:v2.0: not found"
        #expect(pod[path: ["status", "phase"]] == "Pending")
        let status = try containerStatus(pod)
        #expect(status["state"] == ["waiting": ["reason": "ImagePullBackOff",
                                                "message": .string("Back-off pulling image \"cloudmart/api:v2.0\": ErrImagePull: \(error)")]])
        #expect(status["restartCount"] == 0)
        #expect(status["started"] == false)
        // Pulls at 0 s, 10 s and 30 s; the next is due at 70 s.
        #expect(events(sim, pod: pod) == [
            "Pulling: Pulling image \"cloudmart/api:v2.0\"": 3,
            "Failed: Failed to pull image \"cloudmart/api:v2.0\": \(error)": 3,
            "Failed: Error: ErrImagePull": 3,
            "BackOff: Back-off pulling image \"cloudmart/api:v2.0\"": 3,
            "Failed: Error: ImagePullBackOff": 3,
        ])
    }

    @Test func missingVariableCrashLoopsWithTheKubeletsBackOff() throws {
        let sim = try play(Self.scenario(history: "10m", container: "{name: api, image: cloudmart/api:v1.0}", apps: Self.apiApp))
        let pod = try onlyPod(sim)
        let status = try containerStatus(pod)
        let label = "\(ClusterState.name(pod))_shop(\(ClusterState.uid(pod)))"
        // Exits 1 s after each start: restarts at 1 s, 12 s, 33 s, 74 s, 155 s, 316 s; the next at 617 s.
        #expect(status["restartCount"] == 6)
        #expect(status["state"] == ["waiting": ["reason": "CrashLoopBackOff",
                                                "message": .string("back-off 5m0s restarting failed container=api pod=\(label)")]])
        let start = Self.start.addingTimeInterval(-600)
        #expect(status[path: ["lastState", "terminated", "exitCode"]] == 1)
        #expect(status[path: ["lastState", "terminated", "reason"]] == "Error")
        #expect(status[path: ["lastState", "terminated", "startedAt"]] == .string(Timestamp.format(start.addingTimeInterval(316))))
        #expect(status[path: ["lastState", "terminated", "finishedAt"]] == .string(Timestamp.format(start.addingTimeInterval(317))))
        #expect(status[path: ["lastState", "terminated", "containerID"]] == status["containerID"])
        #expect(pod[path: ["status", "phase"]] == "Running")
        #expect(ClusterState.isReady(pod: pod) == false)
        let log = sim.state.withLock { $0.logs[.init(namespace: "shop", pod: ClusterState.name(pod), container: "api", previous: true)] }
        #expect(log == "FATAL: environment variable DATABASE_URL is not set\n")
        let counts = events(sim, pod: pod)
        #expect(counts["BackOff: Back-off restarting failed container api in pod \(label)"] == 6)
        #expect(counts["Started: Started container api"] == 7)
        let event = try #require(sim.objects(.event, namespace: "shop").first { $0["reason"] == "BackOff" })
        #expect(event["involvedObject"]?["fieldPath"] == "spec.containers{api}")
        #expect(event["source"] == ["component": "kubelet", "host": "kube-sim"])
        #expect(event["type"] == "Warning")
        #expect(event["firstTimestamp"] == .string(Timestamp.format(start.addingTimeInterval(2))))
        #expect(event["lastTimestamp"] == .string(Timestamp.format(start.addingTimeInterval(317))))
    }

    @Test func variableFromAConfigMapSatisfiesTheApp() throws {
        let sim = try play(Self.scenario(
            history: "1m", container: "{name: api, image: cloudmart/api:v1.0, envFrom: [{configMapRef: {name: api-config}}]}",
            apps: Self.apiApp, extraTimeline: """
              - after: 0s
                apply:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: api-config, namespace: shop}, data: {DATABASE_URL: "postgres://db"}}
            """))
        let pod = try onlyPod(sim)
        let status = try containerStatus(pod)
        #expect(status["restartCount"] == 0)
        #expect(status["ready"] == true)
        #expect(ClusterState.isReady(pod: pod))
        #expect(sim.get(.endpoints, namespace: "shop", name: "api")?[path: ["subsets"]]?.array?.first?["addresses"]?.array?.count == 1)
    }

    @Test(arguments: [1.0, 5.0])
    func workingSetOverTheLimitIsOOMKilled(step: TimeInterval) throws {
        let clock = TestClock(Self.start)
        let sim = try play(Self.scenario(
            history: "0s", container: "{name: api, image: cloudmart/api:v1.0, env: [{name: DATABASE_URL, value: x}], resources: {limits: {memory: 256Mi}}}",
            apps: Self.apiApp), clock: clock)
        runKubelet(sim, clock: clock, seconds: 60, step: step, load: PodLoad(requestsPerSecond: 10, cpuDemand: 0.1, cpuUsed: 0.1))
        let pod = try onlyPod(sim)
        let status = try containerStatus(pod)
        // 256Mi is passed 16.5 s into each run: killed at 16.5 s (restarted at once), 33 s, 59.4 s.
        #expect(status["restartCount"] == 2)
        #expect(status[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
        #expect(status[path: ["state", "waiting", "message"]]?.string?.hasPrefix("back-off 20s restarting failed container=api pod=") == true)
        #expect(status[path: ["lastState", "terminated", "reason"]] == "OOMKilled")
        #expect(status[path: ["lastState", "terminated", "exitCode"]] == 137)
    }

    @Test func livenessProbeOnAClosedPortRestartsTheContainer() throws {
        let sim = try play(Self.scenario(
            history: "110s",
            container: "{name: api, image: cloudmart/api:v1.0, env: [{name: DATABASE_URL, value: x}], livenessProbe: {httpGet: {path: /healthz, port: 9090}}}",
            apps: Self.apiApp))
        let pod = try onlyPod(sim)
        let ip = try #require(pod[path: ["status", "podIP"]]?.string)
        let status = try containerStatus(pod)
        // Probes every 10 s from 10 s; three failures kill it at 30 s (restarted at once), 60 s and 100 s.
        #expect(status["restartCount"] == 2)
        #expect(status[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
        #expect(status[path: ["lastState", "terminated", "reason"]] == "Error")
        #expect(status[path: ["lastState", "terminated", "exitCode"]] == 137)
        let counts = events(sim, pod: pod)
        #expect(counts["Unhealthy: Liveness probe failed: Get \"http://\(ip):9090/healthz\": dial tcp \(ip):9090: connect: connection refused"] == 9)
        #expect(counts["Killing: Container api failed liveness probe, will be restarted"] == 3)
    }

    @Test func livenessProbeTimesOutNowAndThenOnASaturatedPod() throws {
        let clock = TestClock(Self.start)
        let text = Self.scenario(
            history: "0s",
            container: "{name: api, image: cloudmart/api:v1.0, env: [{name: DATABASE_URL, value: x}], livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 5}}",
            apps: Self.apiApp)
        let sim = try play(text, clock: clock)
        runKubelet(sim, clock: clock, seconds: 900, step: 5, load: PodLoad(requestsPerSecond: 100, cpuDemand: 4, cpuUsed: 1))
        let pod = try onlyPod(sim)
        let ip = try #require(pod[path: ["status", "podIP"]]?.string)
        let restarts = try containerStatus(pod)["restartCount"]?.int ?? 0
        #expect(restarts > 0)
        #expect((events(sim, pod: pod)["Unhealthy: Liveness probe failed: dial tcp \(ip):8080: i/o timeout"] ?? 0) > 0)

        let againClock = TestClock(Self.start)
        let again = try play(text, clock: againClock)
        runKubelet(again, clock: againClock, seconds: 900, step: 5, load: PodLoad(requestsPerSecond: 100, cpuDemand: 4, cpuUsed: 1))
        #expect(try containerStatus(try onlyPod(again))["restartCount"]?.int == restarts)
    }

    @Test func readinessProbeOnAClosedPortKeepsThePodOutOfTheService() throws {
        let sim = try play(Self.scenario(
            history: "2m",
            container: "{name: api, image: cloudmart/api:v1.0, env: [{name: DATABASE_URL, value: x}], ports: [{name: metrics, containerPort: 9090}], readinessProbe: {httpGet: {path: /ready, port: metrics}}}",
            apps: Self.apiApp))
        let pod = try onlyPod(sim)
        let ip = try #require(pod[path: ["status", "podIP"]]?.string)
        let status = try containerStatus(pod)
        #expect(status["restartCount"] == 0)
        #expect(status["ready"] == false)
        #expect(status["started"] == true)
        #expect(pod[path: ["status", "phase"]] == "Running")
        let ready = try #require(pod[path: ["status", "conditions"]]?.array?.first { $0["type"] == "Ready" })
        #expect(ready["status"] == "False")
        #expect(ready["message"] == "containers with unready status: [api]")
        #expect(events(sim, pod: pod)["Unhealthy: Readiness probe failed: Get \"http://\(ip):9090/ready\": dial tcp \(ip):9090: connect: connection refused"] == 12)
        let subset = try #require(sim.get(.endpoints, namespace: "shop", name: "api")?["subsets"]?.array?.first)
        #expect(subset["addresses"] == nil)
        #expect(subset["notReadyAddresses"]?.array?.first?["ip"] == .string(ip))
    }

    @Test func rolloutOfAFixedTemplateKeepsOldPodsUntilTheNewAreReady() throws {
        let clock = TestClock(Self.start)
        let app = "[{image: cloudmart/api, listens: [8080], requiredEnv: [DATABASE_URL], startup: 30s}]"
        let sim = try play(Self.scenario(
            history: "10m", container: "{name: api, image: cloudmart/api:v1.0}", apps: app, replicas: 2, extraTimeline: """
              - after: 590s
                apply:
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: api, namespace: shop}
                  spec:
                    replicas: 2
                    selector: {matchLabels: {app: api}}
                    template:
                      metadata: {labels: {app: api}}
                      spec: {containers: [{name: api, image: cloudmart/api:v1.0, env: [{name: DATABASE_URL, value: "postgres://db"}]}]}
            """), clock: clock)
        // The fixed pods start at 590 s and listen 30 s later.
        func crashing() -> Int { pods(sim).filter { $0[path: ["spec", "containers"]]?.array?.first?["env"] == nil }.count }
        #expect(pods(sim).count == 4)
        #expect(crashing() == 2)
        for _ in 0..<15 {
            clock.move(by: 1)
            sim.advance()
        }
        #expect(crashing() == 2)
        for _ in 0..<10 {
            clock.move(by: 1)
            sim.advance()
        }
        #expect(crashing() == 0)
        #expect(pods(sim).count == 2)
        #expect(pods(sim).allSatisfy { ClusterState.isReady(pod: $0) })
        #expect(sim.get(.deployment, namespace: "shop", name: "api")?[path: ["status", "readyReplicas"]] == 2)
    }

    @Test func deletedPodIsReplacedByAFreshOne() throws {
        let clock = TestClock(Self.start)
        let sim = try play(Self.scenario(history: "5m", container: "{name: api, image: cloudmart/api:v1.0}", apps: Self.apiApp), clock: clock)
        let old = try onlyPod(sim)
        try sim.delete(.pod, namespace: "shop", name: ClusterState.name(old))
        clock.move(by: 1)
        sim.advance()
        let fresh = try onlyPod(sim)
        #expect(ClusterState.name(fresh) != ClusterState.name(old))
        // Started at once and crashed 1 s later; the first restart is immediate.
        #expect(try containerStatus(fresh)["restartCount"] == 1)
        #expect(sim.state.withLock { $0.logs[.init(namespace: "shop", pod: ClusterState.name(old), container: "api", previous: true)] } == nil)
    }

    @Test func newPodWaitsForTheKubeletAsContainerCreating() {
        let pod: JSON = ["metadata": ["name": "p", "namespace": "shop", "uid": "u"],
                         "spec": ["containers": [["name": "api", "image": "cloudmart/api:v1.0"]]]]
        let status = Kubelet.pendingStatus(for: pod, podIP: "10.244.0.2", now: Self.start)
        #expect(status["phase"] == "Pending")
        #expect(status["containerStatuses"]?.array?.first?["state"] == ["waiting": ["reason": "ContainerCreating"]])
        #expect(status["containerStatuses"]?.array?.first?["ready"] == false)
    }

    @Test func backOffDoublesToFiveMinutesAndIsForgottenAfterTenQuietMinutes() {
        var backOff = RestartBackOff()
        var time = Self.start
        var delays: [TimeInterval] = []
        for _ in 0..<9 {
            let delay = backOff.restartDelay(after: time)
            delays.append(delay)
            time = time.addingTimeInterval(delay + 1)
        }
        #expect(delays == [0, 10, 20, 40, 80, 160, 300, 300, 300])
        #expect(backOff.restartDelay(after: time.addingTimeInterval(601)) == 0)
        #expect([10, 40, 80, 160, 300].map { GoDuration.text($0) } == ["10s", "40s", "1m20s", "2m40s", "5m0s"])
    }
}
