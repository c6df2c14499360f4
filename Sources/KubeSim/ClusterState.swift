import MedicKube
import Foundation

/// Everything the simulated apiserver knows, mutated only under `KubeSim`'s lock: the object
/// store, and the controllers registered on it.
///
/// Every write goes through `commit`, which stores the object in `store` (bumping the
/// resourceVersion, recording and broadcasting the watch event) and asks each controller what
/// the change gives it to do; `settle` then runs that work to a fixed point before the write
/// returns, so a caller always sees the cluster after reconciliation.
struct ClusterState: Sendable {
    /// The controllers, in the order they are asked after a commit, which is the order their
    /// work runs in. Admission (quotas, pod defaults, scheduling of a new pod) runs inside the
    /// write instead; the kubelet and the traffic model run on the scenario's clock
    /// (`advanceScenario`); the garbage collector runs with each deletion (`remove`).
    static let controllers: [any Controller] = [
        ReplicaSetController(),
        DeploymentController(),
        StatefulSetController(),
        DaemonSetController(),
        EndpointsController(),
        PersistentVolumeController(),
        NodeController(),
        SchedulerController(),
        ResourceQuotaController(),
    ]

    /// What a commit asks of the controllers: to react, or nothing (a loaded snapshot, an Event).
    enum Followup: Sendable {
        case reconcile, none
    }

    struct LogKey: Hashable, Sendable {
        var namespace: String
        var pod: String
        var container: String
        var previous: Bool
    }

    private(set) var store: ObjectStore
    /// The resources served: built-ins and the custom resources of established CRDs.
    var catalog = ResourceCatalog()
    var logs: [LogKey: String] = [:]
    /// The scenario being played, if any (`KubeSim.play`).
    var runtime: ScenarioRuntime?
    /// Whether a scenario plays: its kubelet decides the status of new pods.
    var playsScenario = false
    /// Seeded while a scenario plays, so its pods get the same names (and, seeded by them, the
    /// same probe timeouts) on every run; random otherwise, as on a real cluster.
    var nameSuffixes: SplitMix64?
    var statusModel: any PodStatusModel
    /// Pods the scheduler left Pending, by uid: the ones it tries again. A loaded pod that was
    /// Pending when captured stays as captured.
    var unschedulablePods: Set<String> = []
    var clock: @Sendable () -> Date
    private var nextPodIP = 10
    private var nextServiceIP = 10
    private var queue: [ControllerWork] = []

    init(statusModel: any PodStatusModel, historyCapacity: Int, clock: @escaping @Sendable () -> Date) {
        self.store = ObjectStore(historyCapacity: historyCapacity)
        self.statusModel = statusModel
        self.clock = clock
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            insertLoaded(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        insertLoaded(ClusterNode.standard.object(now: clock(), podCIDRIndex: 0))
    }

    // MARK: Reading

    var resourceVersion: Int64 { store.resourceVersion }

    func get(_ type: ResourceType, namespace: String, name: String) -> JSON? {
        store.get(type, namespace: namespace, name: name)
    }

    /// Objects in etcd key order (namespace, then name).
    func list(_ type: ResourceType, namespace: String? = nil,
              labels: LabelSelector = .everything, fields: FieldSelector = .everything) -> [JSON] {
        store.list(type, namespace: namespace, labels: labels, fields: fields)
    }

    func exists(_ type: ResourceType, _ object: JSON) -> Bool {
        get(type, namespace: Self.namespace(object), name: Self.name(object)) != nil
    }

    // MARK: Watching

    /// See `ObjectStore.watch`; the store is written only through `commit` otherwise.
    mutating func watch(_ watcher: Watcher, id: UUID, since version: Int64?) throws(APIError) -> [WatchEvent] {
        try store.watch(watcher, id: id, since: version)
    }

    mutating func endWatch(_ id: UUID) { store.endWatch(id) }

    mutating func endWatches(of type: ResourceType) { store.endWatches(of: type) }

    /// The open watches, by id.
    var watchers: [UUID: Watcher] { store.watchers }

    mutating func removeAllWatches() -> [Watcher] { store.removeAllWatches() }

    // MARK: Writing

    /// Writes an object if it differs from the stored one (ignoring resourceVersion), bumping
    /// generation when the spec changed. Returns the stored object. Controllers write through here.
    @discardableResult
    mutating func save(_ type: ResourceType, _ given: JSON) -> JSON {
        var object = given
        let old = get(type, namespace: Self.namespace(object), name: Self.name(object))
        if let old {
            object[path: ["metadata", "resourceVersion"]] = old[path: ["metadata", "resourceVersion"]]
            if Self.tracksGeneration(type), Self.specChanged(type, from: old, to: object) {
                object[path: ["metadata", "generation"]] = .int(Self.generation(old) + 1)
            }
            if object == old { return old }
        }
        return commit(type, object, old == nil ? .added : .modified, then: .reconcile)
    }

    /// Stores the change (see `ObjectStore.commit`) and, for `.reconcile`, queues what it
    /// gives the controllers to do. Returns the object as stored. A CRD is stored established
    /// and changes what the catalog serves.
    @discardableResult
    mutating func commit(_ type: ResourceType, _ object: JSON, _ change: ObjectStore.Change,
                         then followup: Followup) -> JSON {
        var object = object
        if type == .customResourceDefinition, change != .deleted {
            object = CustomResourceDefinitions.established(object, now: clock())
        }
        let event = store.commit(type, object, change)
        if type == .customResourceDefinition { catalogChanged(by: event.object, change) }
        if followup == .reconcile { queueControllers(after: event) }
        return event.object
    }

    mutating func allocateServiceIP() -> String {
        defer { nextServiceIP += 1 }
        return "10.96.\(nextServiceIP / 250).\(nextServiceIP % 250 + 1)"
    }

    mutating func allocatePodIP() -> String {
        defer { nextPodIP += 1 }
        return "10.244.\(nextPodIP / 250).\(nextPodIP % 250 + 2)"
    }

    /// The five characters a generated name (`generateName`, a ReplicaSet's pods) ends with.
    mutating func nameSuffix() -> String {
        guard var generator = nameSuffixes else { return PodTemplateHash.randomSuffix() }
        defer { nameSuffixes = generator }
        return PodTemplateHash.suffix(using: &generator)
    }

    // MARK: Controllers

    mutating func enqueue(_ work: ControllerWork) {
        if !queue.contains(work) { queue.append(work) }
    }

    mutating func queueControllers(after event: WatchEvent) {
        for controller in Self.controllers {
            for work in controller.work(after: event, in: self) { enqueue(work) }
        }
    }

    /// Queues what the controllers' timers have due at `now`.
    mutating func queueTimers(at now: Date) {
        for controller in Self.controllers {
            for work in controller.timers(at: now, in: self) { enqueue(work) }
        }
    }

    /// Runs queued controller work until nothing changes. Bounded so a controller bug shows
    /// up as an unreconciled object, never as a hung request.
    mutating func settle() {
        var steps = 0
        while !queue.isEmpty, steps < 10_000 {
            steps += 1
            let work = queue.removeFirst()
            for controller in Self.controllers { controller.reconcile(work, in: &self) }
        }
    }
}
