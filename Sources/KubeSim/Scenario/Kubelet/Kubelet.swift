import Foundation
import MedicKube

/// The node agent of a played scenario: runs every pod's containers as the scenario says
/// their apps behave (image missing, variable required, memory over the limit, probe on a
/// closed port, CPU saturated) and reports what a real kubelet would: container states,
/// restart counts, logs and Events. Controllers then react to readiness as on a real cluster.
struct Kubelet: Sendable {
    let scenario: Scenario
    private var pods: [String: PodRuntime] = [:]
    private var recorder = KubeletEventRecorder()

    init(scenario: Scenario) {
        self.scenario = scenario
    }

    /// Runs every pod from `now - interval` to `now`; `loads` is keyed "namespace/podName".
    mutating func advance(to now: Date, by interval: TimeInterval, loads: [String: PodLoad], cluster: inout ClusterState) {
        let tickStart = now.addingTimeInterval(-interval)
        // A pod no node took is not any kubelet's yet.
        let current = cluster.list(.pod).filter {
            !ClusterState.isTerminating($0) && !($0[path: ["spec", "nodeName"]]?.string ?? "").isEmpty
        }
        let uids = Set(current.map(ClusterState.uid))
        for (uid, gone) in pods where !uids.contains(uid) {
            forget(gone, cluster: &cluster)
        }
        for pod in current {
            let uid = ClusterState.uid(pod)
            var runtime = pods[uid] ?? PodRuntime(
                pod: pod, scenario: scenario,
                podIP: pod[path: ["status", "podIP"]]?.string ?? cluster.allocatePodIP(),
                createdAt: max(tickStart, pod[path: ["metadata", "creationTimestamp"]]?.string.flatMap(Timestamp.parse) ?? tickStart))
            let namespace = runtime.namespace
            let containers = (pod[path: ["spec", "initContainers"]]?.array ?? []) + (pod[path: ["spec", "containers"]]?.array ?? [])
            let load = loads[ClusterState.key(namespace, runtime.name)] ?? PodLoad()
            var missingEnv: [String: String] = [:]
            var configErrors: [String: String] = [:]
            for container in containers {
                let spec = ContainerSpec(container: container, scenario: scenario)
                missingEnv[spec.name] = ContainerEnvironment.firstMissing(spec.app?.requiredEnv ?? [], container: container,
                                                                          namespace: namespace, cluster: cluster)
                configErrors[spec.name] = ContainerEnvironment.configError(container: container, namespace: namespace,
                                                                           cluster: cluster)
            }
            let (podIP, label) = (runtime.podIP, runtime.label)
            var events: [KubeletEvent] = []
            runtime.advance(to: now, in: { [scenario] spec in
                ContainerRuntime.Surroundings(tickStart: tickStart, podIP: podIP, podLabel: label, podUID: uid,
                                              registry: scenario.registry, load: load, missingEnv: missingEnv[spec.name],
                                              configError: configErrors[spec.name])
            }, events: &events)
            pods[uid] = runtime
            for event in events.sorted(by: { $0.time < $1.time }) {
                recorder.record(event, pod: pod, cluster: &cluster)
            }
            writeLogs(of: runtime, cluster: &cluster)
            var updated = pod
            updated["status"] = runtime.status()
            if updated != pod {
                cluster.commit(.pod, updated, .modified, then: .reconcile)
            }
        }
    }

    /// The status of a pod the kubelet has not started yet: Pending, its containers creating.
    static func pendingStatus(for pod: JSON, podIP: String, now: Date) -> JSON {
        PodRuntime(pod: pod, scenario: nil, podIP: podIP, createdAt: now).status()
    }

    private func writeLogs(of runtime: PodRuntime, cluster: inout ClusterState) {
        for container in runtime.allContainers {
            for (previous, text) in [(false, container.currentLog), (true, container.previousLog)] {
                guard let text else { continue }
                let key = ClusterState.LogKey(namespace: runtime.namespace, pod: runtime.name,
                                              container: container.spec.name, previous: previous)
                if cluster.logs[key] != text { cluster.logs[key] = text }
            }
        }
    }

    private mutating func forget(_ runtime: PodRuntime, cluster: inout ClusterState) {
        pods[runtime.uid] = nil
        recorder.forget(podUID: runtime.uid)
        for container in runtime.allContainers {
            for previous in [false, true] {
                cluster.logs[ClusterState.LogKey(namespace: runtime.namespace, pod: runtime.name,
                                                 container: container.spec.name, previous: previous)] = nil
            }
        }
    }
}

extension ClusterState {
    /// The status a new pod gets: the kubelet's "not started yet" while a scenario plays,
    /// else what the pod status model decides.
    mutating func initialPodStatus(for pod: JSON) -> JSON {
        let podIP = allocatePodIP()
        var status = !playsScenario ? statusModel.status(for: pod, podIP: podIP, now: clock())
            : Kubelet.pendingStatus(for: pod, podIP: podIP, now: clock())
        if let hostIP = hostIP(of: pod), status["hostIP"] != nil, status["hostIP"]?.string != hostIP {
            status["hostIP"] = .string(hostIP)
            status["hostIPs"] = [["ip": .string(hostIP)]]
        }
        return status
    }

    /// The InternalIP of the node the pod is bound to.
    func hostIP(of pod: JSON) -> String? {
        guard let node = pod[path: ["spec", "nodeName"]]?.string.flatMap({ get(.node, namespace: "", name: $0) }) else {
            return nil
        }
        return (node[path: ["status", "addresses"]]?.array ?? [])
            .first { $0["type"]?.string == "InternalIP" }?["address"]?.string
    }
}
