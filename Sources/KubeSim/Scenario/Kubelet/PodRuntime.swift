import Foundation
import MedicKube

/// One pod as the kubelet runs it: its containers and the pod status they add up to.
struct PodRuntime: Sendable {
    let uid: String
    let name: String
    let namespace: String
    let podIP: String
    /// The node's InternalIP.
    let hostIP: String
    let scheduledAt: Date
    let startTime: Date
    private(set) var containers: [ContainerRuntime]
    private var ready = false
    private var readySince: Date

    /// `createdAt`: when the kubelet takes the pod over; its containers are created then.
    init(pod: JSON, scenario: Scenario?, podIP: String, createdAt: Date) {
        uid = ClusterState.uid(pod)
        name = ClusterState.name(pod)
        namespace = ClusterState.namespace(pod)
        self.podIP = podIP
        hostIP = pod[path: ["status", "hostIP"]]?.string ?? ClusterNode.standard.internalIP
        scheduledAt = pod[path: ["metadata", "creationTimestamp"]]?.string.flatMap(Timestamp.parse) ?? createdAt
        startTime = createdAt
        readySince = createdAt
        let seed = "\(namespace)/\(name)"
        containers = (pod[path: ["spec", "containers"]]?.array ?? []).map {
            ContainerRuntime(spec: ContainerSpec(container: $0, scenario: scenario), createdAt: createdAt, seed: seed)
        }
    }

    /// `name_namespace(uid)`, as the kubelet names a pod in its messages.
    var label: String { "\(name)_\(namespace)(\(uid))" }

    mutating func advance(to now: Date, in surroundings: (ContainerSpec) -> ContainerRuntime.Surroundings,
                          events: inout [KubeletEvent]) {
        for index in containers.indices {
            containers[index].advance(to: now, in: surroundings(containers[index].spec), events: &events)
        }
        let allReady = !containers.isEmpty && containers.allSatisfy(\.ready)
        if allReady != ready {
            ready = allReady
            readySince = containers.map(\.readyChangedAt).max() ?? now
        }
    }

    func status() -> JSON {
        let started = JSON.string(Timestamp.format(startTime))
        let unready = containers.filter { !$0.ready }.map(\.spec.name)
        func condition(_ type: String, _ status: Bool, since: Date, notReady: Bool = false) -> JSON {
            var condition: JSON = ["type": .string(type), "status": status ? "True" : "False", "lastProbeTime": nil,
                                   "lastTransitionTime": .string(Timestamp.format(since))]
            if notReady, !status {
                condition["reason"] = "ContainersNotReady"
                condition["message"] = .string("containers with unready status: [\(unready.joined(separator: " "))]")
            }
            return condition
        }
        let hasResources = containers.contains { $0.spec.memoryLimit != nil }
        return [
            "phase": containers.contains(where: \.hasStarted) ? "Running" : "Pending",
            "podIP": .string(podIP), "podIPs": [["ip": .string(podIP)]],
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]], "startTime": started,
            "qosClass": hasResources ? "Burstable" : "BestEffort",
            "conditions": [
                condition("PodReadyToStartContainers", true, since: startTime),
                condition("Initialized", true, since: startTime),
                condition("Ready", ready, since: readySince, notReady: true),
                condition("ContainersReady", ready, since: readySince, notReady: true),
                condition("PodScheduled", true, since: scheduledAt),
            ],
            "containerStatuses": .array(containers.map { $0.status(podLabel: label) }),
        ]
    }
}
