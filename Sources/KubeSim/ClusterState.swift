import MedicKube
import Foundation

/// Everything the simulated apiserver knows, mutated only under `Cluster`'s lock.
///
/// Every write goes through `commit`, which bumps the global resourceVersion, records the
/// watch event and queues the controllers that care; `settle` then runs them to a fixed
/// point before the write returns, so a caller always sees the cluster after reconciliation.
struct ClusterState: Sendable {
    struct LogKey: Hashable, Sendable {
        var namespace: String
        var pod: String
        var container: String
        var previous: Bool
    }

    enum Work: Hashable, Sendable {
        case sync(ResourceType, namespace: String, name: String)
        case endpoints(namespace: String, service: String)
        case node(name: String)
        case quotas(namespace: String)
        case claim(namespace: String, name: String)
        /// Pending pods without a node: the scheduler tries them again.
        case schedule
    }

    /// groupResource → "namespace/name" → object.
    private(set) var objects: [ResourceType: [String: JSON]] = [:]
    private(set) var resourceVersion: Int64 = 1000
    private(set) var history: [WatchEvent] = []
    /// Watches starting at or after this version can be served from `history`.
    private(set) var oldestWatchableVersion: Int64 = 1000
    var historyCapacity: Int
    var watchers: [UUID: Watcher] = [:]
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
    private var queue: [Work] = []

    init(statusModel: any PodStatusModel, historyCapacity: Int, clock: @escaping @Sendable () -> Date) {
        self.statusModel = statusModel
        self.historyCapacity = historyCapacity
        self.clock = clock
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            insertLoaded(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        insertLoaded(ClusterNode.standard.object(now: clock(), podCIDRIndex: 0))
    }

    // MARK: Reading

    static func key(_ namespace: String, _ name: String) -> String { "\(namespace)/\(name)" }

    func get(_ type: ResourceType, namespace: String, name: String) -> JSON? {
        objects[type]?[Self.key(type.namespaced ? namespace : "", name)]
    }

    /// Objects in etcd key order (namespace, then name).
    func list(_ type: ResourceType, namespace: String? = nil,
              labels: LabelSelector = .everything, fields: FieldSelector = .everything) -> [JSON] {
        let prefix = namespace.map { Self.key($0, "") }
        return (objects[type] ?? [:])
            .filter { prefix == nil || !type.namespaced || $0.key.hasPrefix(prefix!) }
            .sorted { $0.key < $1.key }
            .map(\.value)
            .filter { labels.matches(object: $0) && fields.matches($0) }
    }

    // MARK: Writing

    /// Stores an object as given (status included), as loading a snapshot does: the object
    /// keeps its uid and creationTimestamp and gets a fresh resourceVersion. No controller runs.
    @discardableResult
    mutating func insertLoaded(_ given: JSON) -> JSON {
        var object = given
        guard let type = ResourceType.forObject(object) else { return object }
        object["apiVersion"] = .string(type.apiVersion)
        if object[path: ["metadata", "uid"]]?.string == nil { object[path: ["metadata", "uid"]] = .string(Self.newUID()) }
        if object[path: ["metadata", "creationTimestamp"]]?.string == nil {
            object[path: ["metadata", "creationTimestamp"]] = .string(Timestamp.format(clock()))
        }
        if type.namespaced, object[path: ["metadata", "namespace"]]?.string == nil {
            object[path: ["metadata", "namespace"]] = "default"
        }
        if Self.tracksGeneration(type), object[path: ["metadata", "generation"]]?.int == nil {
            object[path: ["metadata", "generation"]] = 1
        }
        applyDefaults(type, &object)
        if type == .namespace, object[path: ["status", "phase"]] == nil { object["status"] = ["phase": "Active"] }
        let namespace = object[path: ["metadata", "namespace"]]?.string ?? ""
        if type.namespaced, get(.namespace, namespace: "", name: namespace) == nil {
            insertLoaded(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        }
        let eventType = exists(type, object) ? "MODIFIED" : "ADDED"
        return commit(type, object, eventType: eventType, trigger: false)
    }

    /// Queues reconciliation for loaded objects whose spec was never acted on, and endpoints
    /// for Services that came without them; everything else stays as loaded.
    mutating func reconcileLoaded() {
        for type in [ResourceType.deployment, .replicaSet, .statefulSet, .daemonSet] {
            for object in list(type) where Self.generation(object) != Self.observedGeneration(object) {
                enqueue(.sync(type, namespace: Self.namespace(object), name: Self.name(object)))
            }
        }
        for service in list(.service)
        where get(.endpoints, namespace: Self.namespace(service), name: Self.name(service)) == nil {
            enqueue(.endpoints(namespace: Self.namespace(service), service: Self.name(service)))
        }
        settle()
    }

    func exists(_ type: ResourceType, _ object: JSON) -> Bool {
        get(type, namespace: Self.namespace(object), name: Self.name(object)) != nil
    }

    /// Writes an object if it differs from the stored one (ignoring resourceVersion), bumping
    /// generation when the spec changed. Returns the stored object. Controllers write through here.
    @discardableResult
    mutating func save(_ type: ResourceType, _ given: JSON) -> JSON {
        var object = given
        let old = get(type, namespace: Self.namespace(object), name: Self.name(object))
        if let old {
            object[path: ["metadata", "resourceVersion"]] = old[path: ["metadata", "resourceVersion"]]
            if Self.tracksGeneration(type), old["spec"] != object["spec"] {
                object[path: ["metadata", "generation"]] = .int(Self.generation(old) + 1)
            }
            if object == old { return old }
        }
        return commit(type, object, eventType: old == nil ? "ADDED" : "MODIFIED", trigger: true)
    }

    /// Assigns the next resourceVersion, stores the object, records and broadcasts the event.
    @discardableResult
    mutating func commit(_ type: ResourceType, _ given: JSON, eventType: String, trigger: Bool) -> JSON {
        var object = given
        resourceVersion += 1
        object[path: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        let key = Self.key(type.namespaced ? Self.namespace(object) : "", Self.name(object))
        if eventType == "DELETED" {
            objects[type]?[key] = nil
        } else {
            objects[type, default: [:]][key] = object
        }
        let event = WatchEvent(type: eventType, resourceVersion: resourceVersion, resource: type, object: object)
        history.append(event)
        if history.count > historyCapacity {
            let dropped = history.removeFirst()
            oldestWatchableVersion = dropped.resourceVersion
        }
        for watcher in watchers.values where watcher.wants(event) {
            watcher.continuation.yield(.event(event))
        }
        if trigger { queueControllers(after: event) }
        return object
    }

    /// What a deletion does to the objects the deleted one owns: the garbage collector deletes
    /// them (`Background`/`Foreground`, both at once here) or frees them (`Orphan`).
    enum Dependents: Sendable {
        case delete, orphan
    }

    /// Removes an object and what it owns, as `dependents` says (the garbage collector).
    @discardableResult
    mutating func remove(_ type: ResourceType, namespace: String, name: String, dependents: Dependents) -> JSON? {
        guard let object = get(type, namespace: namespace, name: name) else { return nil }
        let deleted = commit(type, object, eventType: "DELETED", trigger: true)
        let uid = object[path: ["metadata", "uid"]]?.string
        if type == .namespace {
            for other in ResourceType.all where other.namespaced {
                for child in list(other, namespace: name) {
                    remove(other, namespace: name, name: Self.name(child), dependents: .orphan)
                }
            }
            return deleted
        }
        for other in ResourceType.all where other.namespaced {
            for child in list(other, namespace: type.namespaced ? namespace : nil)
            where (child[path: ["metadata", "ownerReferences"]]?.array ?? []).contains(where: { $0["uid"]?.string == uid }) {
                if dependents == .orphan {
                    var freed = child
                    let kept = (child[path: ["metadata", "ownerReferences"]]?.array ?? []).filter { $0["uid"]?.string != uid }
                    freed[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .array(kept)
                    save(other, freed)
                } else {
                    remove(other, namespace: Self.namespace(child), name: Self.name(child), dependents: .delete)
                }
            }
        }
        return deleted
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

    mutating func enqueue(_ work: Work) {
        if !queue.contains(work) { queue.append(work) }
    }

    mutating func queueControllers(after event: WatchEvent) {
        let object = event.object
        let namespace = Self.namespace(object)
        switch event.resource {
        case .deployment, .replicaSet, .statefulSet, .daemonSet:
            if event.type != "DELETED", Self.generation(object) != Self.observedGeneration(object) {
                enqueue(.sync(event.resource, namespace: namespace, name: Self.name(object)))
            }
            if event.resource == .replicaSet, let owner = Self.controllerRef(object), owner.kind == "Deployment" {
                enqueue(.sync(.deployment, namespace: namespace, name: owner.name))
            }
        case .pod:
            if let owner = Self.controllerRef(object), let type = ResourceType.named(owner.kind) {
                enqueue(.sync(type, namespace: namespace, name: owner.name))
            }
            for service in list(.service, namespace: namespace) {
                enqueue(.endpoints(namespace: namespace, service: Self.name(service)))
            }
            if event.type == "DELETED", !(object[path: ["spec", "nodeName"]]?.string ?? "").isEmpty {
                enqueue(.schedule)
            }
            if !list(.resourceQuota, namespace: namespace).isEmpty {
                enqueue(.quotas(namespace: namespace))
                // Room freed under a quota: ReplicaSets it refused try again.
                if event.type == "DELETED" { retryRefusedReplicaSets(namespace: namespace) }
            }
        case .service:
            enqueue(.endpoints(namespace: namespace, service: Self.name(object)))
        case .persistentVolumeClaim:
            if event.type != "DELETED" { enqueue(.claim(namespace: namespace, name: Self.name(object))) }
            enqueue(.schedule)
        case .storageClass:
            for claim in list(.persistentVolumeClaim) where claim[path: ["status", "phase"]] != "Bound" {
                enqueue(.claim(namespace: Self.namespace(claim), name: Self.name(claim)))
            }
        case .resourceQuota:
            enqueue(.quotas(namespace: namespace))
            // A changed `hard` (not yet mirrored into the status): refused creates may fit now.
            if object[path: ["spec", "hard"]] != object[path: ["status", "hard"]] {
                retryRefusedReplicaSets(namespace: namespace)
            }
        case .node:
            if event.type != "DELETED" { enqueue(.node(name: Self.name(object))) }
            enqueue(.schedule)
        default:
            break
        }
    }

    /// Runs queued controller work until nothing changes. Bounded so a controller bug shows
    /// up as an unreconciled object, never as a hung request.
    mutating func settle() {
        var steps = 0
        while !queue.isEmpty, steps < 10_000 {
            steps += 1
            let work = queue.removeFirst()
            switch work {
            case .sync(let type, let namespace, let name):
                switch type {
                case .deployment: syncDeployment(namespace: namespace, name: name)
                case .replicaSet: syncReplicaSet(namespace: namespace, name: name)
                case .statefulSet: syncStatefulSet(namespace: namespace, name: name)
                case .daemonSet: syncDaemonSet(namespace: namespace, name: name)
                default: break
                }
            case .endpoints(let namespace, let service):
                syncEndpoints(namespace: namespace, service: service)
            case .node(let name):
                syncNode(name: name)
            case .schedule:
                schedulePending()
            case .quotas(let namespace):
                syncResourceQuotas(namespace: namespace)
            case .claim(let namespace, let name):
                syncClaim(namespace: namespace, name: name)
            }
        }
    }

    /// Queues the ReplicaSets of `namespace` whose last pod creation was refused.
    mutating func retryRefusedReplicaSets(namespace: String) {
        for set in list(.replicaSet, namespace: namespace)
        where (set[path: ["status", "conditions"]]?.array ?? []).contains(where: { $0["type"]?.string == "ReplicaFailure" }) {
            enqueue(.sync(.replicaSet, namespace: namespace, name: Self.name(set)))
        }
    }

    // MARK: Object helpers

    static func newUID() -> String { UUID().uuidString.lowercased() }
    static func name(_ object: JSON) -> String { object[path: ["metadata", "name"]]?.string ?? "" }
    static func namespace(_ object: JSON) -> String { object[path: ["metadata", "namespace"]]?.string ?? "" }
    static func uid(_ object: JSON) -> String { object[path: ["metadata", "uid"]]?.string ?? "" }
    static func generation(_ object: JSON) -> Int64 { object[path: ["metadata", "generation"]]?.int ?? 0 }
    static func observedGeneration(_ object: JSON) -> Int64 { object[path: ["status", "observedGeneration"]]?.int ?? 0 }
    static func tracksGeneration(_ type: ResourceType) -> Bool { type.group == "apps" || type.group == "batch" }

    static func controllerRef(_ object: JSON) -> (kind: String, name: String, uid: String)? {
        for reference in object[path: ["metadata", "ownerReferences"]]?.array ?? [] where reference["controller"]?.bool == true {
            return (reference["kind"]?.string ?? "", reference["name"]?.string ?? "", reference["uid"]?.string ?? "")
        }
        return nil
    }

    /// Objects of `type` in the owner's namespace whose controller is `owner`.
    func owned(_ type: ResourceType, by owner: JSON, kind: String) -> [JSON] {
        let uid = Self.uid(owner)
        let name = Self.name(owner)
        return list(type, namespace: Self.namespace(owner)).filter { child in
            guard let reference = Self.controllerRef(child), reference.kind == kind else { return false }
            return reference.uid == uid || (reference.uid.isEmpty && reference.name == name)
        }
    }

    static func ownerReference(to owner: JSON, type: ResourceType) -> JSON {
        ["apiVersion": .string(type.apiVersion), "kind": .string(type.kind), "name": .string(name(owner)),
         "uid": .string(uid(owner)), "controller": true, "blockOwnerDeletion": true]
    }

    static func isReady(pod: JSON) -> Bool {
        (pod[path: ["status", "conditions"]]?.array ?? [])
            .contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" }
    }

    static func isTerminating(_ object: JSON) -> Bool { object[path: ["metadata", "deletionTimestamp"]]?.string != nil }
}
