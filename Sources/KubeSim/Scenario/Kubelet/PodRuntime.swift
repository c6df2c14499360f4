import Foundation
import MedicKube

/// One pod as the kubelet runs it: its init containers, one after the other, then its
/// containers, and the pod status they add up to.
struct PodRuntime: Sendable {
    let uid: String
    let name: String
    let namespace: String
    let podIP: String
    /// The node's InternalIP.
    let hostIP: String
    let scheduledAt: Date
    let startTime: Date
    private let seed: String
    private let initSpecs: [ContainerSpec]
    private let containerSpecs: [ContainerSpec]
    /// The init containers started so far, in order; each starts when the one before completed.
    private(set) var initContainers: [ContainerRuntime] = []
    /// Created once every init container completed.
    private(set) var containers: [ContainerRuntime] = []
    private var ready = false
    private var readySince: Date
    /// When the last init container completed (the pod start time without any).
    private var initializedAt: Date?

    /// `createdAt`: when the kubelet takes the pod over; its first containers are created then.
    init(pod: JSON, scenario: Scenario?, podIP: String, createdAt: Date) {
        uid = ClusterState.uid(pod)
        name = ClusterState.name(pod)
        namespace = ClusterState.namespace(pod)
        self.podIP = podIP
        hostIP = pod[path: ["status", "hostIP"]]?.string ?? ClusterNode.standard.internalIP
        scheduledAt = pod[path: ["metadata", "creationTimestamp"]]?.string.flatMap(Timestamp.parse) ?? createdAt
        startTime = createdAt
        readySince = createdAt
        seed = "\(namespace)/\(name)"
        initSpecs = (pod[path: ["spec", "initContainers"]]?.array ?? []).map {
            ContainerSpec(container: $0, scenario: scenario, isInit: true)
        }
        containerSpecs = (pod[path: ["spec", "containers"]]?.array ?? []).map { ContainerSpec(container: $0, scenario: scenario) }
        startNext(at: createdAt)
    }

    /// `name_namespace(uid)`, as the kubelet names a pod in its messages.
    var label: String { "\(name)_\(namespace)(\(uid))" }

    /// Init containers and containers started so far (their logs).
    var allContainers: [ContainerRuntime] { initContainers + containers }

    var initialized: Bool { initializedAt != nil }

    /// Creates the next init container, or the containers once none is left, at `time`.
    private mutating func startNext(at time: Date) {
        if initContainers.count < initSpecs.count {
            initContainers.append(ContainerRuntime(spec: initSpecs[initContainers.count], createdAt: time, seed: seed))
        } else {
            initializedAt = time
            containers = containerSpecs.map { ContainerRuntime(spec: $0, createdAt: time, seed: seed) }
        }
    }

    mutating func advance(to now: Date, in surroundings: (ContainerSpec) -> ContainerRuntime.Surroundings,
                          events: inout [KubeletEvent]) {
        while !initialized, let last = initContainers.indices.last {
            initContainers[last].advance(to: now, in: surroundings(initContainers[last].spec), events: &events)
            guard let completedAt = initContainers[last].completedAt else { break }
            startNext(at: completedAt)
        }
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
        let unready = containerSpecs.map(\.name).filter { name in !containers.contains { $0.spec.name == name && $0.ready } }
        let incomplete = initSpecs.map(\.name).filter { name in !initContainers.contains { $0.spec.name == name && $0.ready } }
        func condition(_ type: String, _ status: Bool, since: Date, reason: String? = nil, message: String? = nil) -> JSON {
            var condition: JSON = ["type": .string(type), "status": status ? "True" : "False", "lastProbeTime": nil,
                                   "lastTransitionTime": .string(Timestamp.format(since))]
            if !status, let reason, let message {
                condition["reason"] = .string(reason)
                condition["message"] = .string(message)
            }
            return condition
        }
        let notReady = "containers with unready status: [\(unready.joined(separator: " "))]"
        let hasResources = containerSpecs.contains { $0.memoryLimit != nil }
        // Containers not created yet wait for the init containers (PodInitializing).
        func waiting(_ spec: ContainerSpec) -> JSON {
            ["name": .string(spec.name), "image": .string(ImagePull.normalized(spec.image)), "imageID": "",
             "ready": false, "started": false, "restartCount": 0,
             "state": ["waiting": ["reason": "PodInitializing"]], "lastState": [:]]
        }
        var status: JSON = [
            "phase": containers.contains(where: \.hasStarted) ? "Running" : "Pending",
            "podIP": .string(podIP), "podIPs": [["ip": .string(podIP)]],
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]], "startTime": started,
            "qosClass": hasResources ? "Burstable" : "BestEffort",
            "conditions": [
                condition("PodReadyToStartContainers", true, since: startTime),
                condition("Initialized", initialized, since: initializedAt ?? startTime, reason: "ContainersNotInitialized",
                          message: "containers with incomplete status: [\(incomplete.joined(separator: " "))]"),
                condition("Ready", ready, since: readySince, reason: "ContainersNotReady", message: notReady),
                condition("ContainersReady", ready, since: readySince, reason: "ContainersNotReady", message: notReady),
                condition("PodScheduled", true, since: scheduledAt),
            ],
            "containerStatuses": .array(initialized ? containers.map { $0.status(podLabel: label) } : containerSpecs.map(waiting)),
        ]
        if !initSpecs.isEmpty {
            status["initContainerStatuses"] = .array(initSpecs.indices.map { index in
                index < initContainers.count ? initContainers[index].status(podLabel: label) : waiting(initSpecs[index])
            })
        }
        return status
    }
}
