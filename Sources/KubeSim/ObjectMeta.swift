import Foundation
import MedicKube

/// Reading an object's metadata the way every controller does: names, owners, generations,
/// readiness. Static, so tests and the scenario runtime use them without a cluster.
extension ClusterState {
    static func key(_ namespace: String, _ name: String) -> String { ObjectStore.key(namespace, name) }
    static func newUID() -> String { UUID().uuidString.lowercased() }
    static func name(_ object: JSON) -> String { object[path: ["metadata", "name"]]?.string ?? "" }
    static func namespace(_ object: JSON) -> String { object[path: ["metadata", "namespace"]]?.string ?? "" }
    static func uid(_ object: JSON) -> String { object[path: ["metadata", "uid"]]?.string ?? "" }
    static func generation(_ object: JSON) -> Int64 { object[path: ["metadata", "generation"]]?.int ?? 0 }
    static func observedGeneration(_ object: JSON) -> Int64 { object[path: ["status", "observedGeneration"]]?.int ?? 0 }
    static func tracksGeneration(_ type: ResourceType) -> Bool {
        type.group == "apps" || type.group == "batch" || type.custom != nil || type == .customResourceDefinition
    }

    /// Whether an update changes what `metadata.generation` counts: the spec of a built-in;
    /// for a CRD or custom resource everything but metadata, and but status when status is a
    /// subresource (what apiextensions' strategy compares).
    static func specChanged(_ type: ResourceType, from old: JSON, to new: JSON) -> Bool {
        guard type.custom != nil || type == .customResourceDefinition else { return old["spec"] != new["spec"] }
        func counted(_ object: JSON) -> JSON {
            var copy = object
            copy["metadata"] = nil
            if type.subresources.contains("status") { copy["status"] = nil }
            return copy
        }
        return counted(old) != counted(new)
    }

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
