import MedicKube

/// Loading a snapshot (`KubeSim.load`, the standard namespaces and node): objects are stored
/// as given, status included, and the controllers then act only on what was never reconciled.
extension ClusterState {
    /// Stores an object as given (status included), as loading a snapshot does: the object
    /// keeps its uid and creationTimestamp and gets a fresh resourceVersion. No controller runs.
    @discardableResult
    mutating func insertLoaded(_ given: JSON) -> JSON {
        var object = given
        guard let type = catalog.forObject(object) else { return object }
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
        return commit(type, object, exists(type, object) ? .modified : .added, then: .none)
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
}
