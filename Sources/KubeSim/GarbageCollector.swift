import MedicKube

/// The garbage collector, run at once with the deletion it follows (`ClusterState.remove`):
/// a deleted namespace takes everything in it, a deleted CRD its custom objects, a deleted
/// owner its dependents, or frees them.
struct GarbageCollector: Sendable {
    /// What a deletion does to the objects the deleted one owns: deletes them
    /// (`Background`/`Foreground`, both at once here) or frees them (`Orphan`).
    enum Dependents: Sendable {
        case delete, orphan
    }

    /// Deals with what `object`, just deleted from `namespace`, contained or owned.
    func collect(after object: JSON, of type: ResourceType, namespace: String, dependents: Dependents,
                 in cluster: inout ClusterState) {
        let name = ClusterState.name(object)
        let uid = object[path: ["metadata", "uid"]]?.string
        if type == .customResourceDefinition {
            cluster.removeCustomObjects(of: object)
            return
        }
        if type == .namespace {
            for other in cluster.catalog.stored where other.namespaced {
                for child in cluster.list(other, namespace: name) {
                    cluster.remove(other, namespace: name, name: ClusterState.name(child), dependents: .orphan)
                }
            }
            return
        }
        for other in cluster.catalog.stored where other.namespaced {
            for child in cluster.list(other, namespace: type.namespaced ? namespace : nil)
            where (child[path: ["metadata", "ownerReferences"]]?.array ?? []).contains(where: { $0["uid"]?.string == uid }) {
                if dependents == .orphan {
                    var freed = child
                    let kept = (child[path: ["metadata", "ownerReferences"]]?.array ?? []).filter { $0["uid"]?.string != uid }
                    freed[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .array(kept)
                    cluster.save(other, freed)
                } else {
                    cluster.remove(other, namespace: ClusterState.namespace(child), name: ClusterState.name(child),
                                   dependents: .delete)
                }
            }
        }
    }
}

extension ClusterState {
    /// Removes an object, then has the garbage collector deal with what it owned.
    @discardableResult
    mutating func remove(_ type: ResourceType, namespace: String, name: String,
                         dependents: GarbageCollector.Dependents) -> JSON? {
        guard let object = get(type, namespace: namespace, name: name) else { return nil }
        let deleted = commit(type, object, .deleted, then: .reconcile)
        GarbageCollector().collect(after: object, of: type, namespace: namespace, dependents: dependents, in: &self)
        return deleted
    }
}
