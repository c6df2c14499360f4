/// How one list field merges under a strategic merge patch. It comes from the
/// `patchStrategy:"merge"` / `patchMergeKey` struct tags in k8s.io/api v0.32, which kubectl
/// and the API server both read; a list without tags is atomic and a patch replaces it whole.
enum ListMergeStrategy: Sendable, Equatable {
    /// Elements are objects matched by this key (`containers` by `name`, `ports` by `containerPort`).
    case byKey(String)
    /// Elements are scalars kept as a set (`metadata.finalizers`).
    case primitives
}

/// The merge-strategy lists of one object kind, keyed by dotted path from the object root
/// with `[]` standing for "any element" (`spec.template.spec.containers[].env`).
///
/// KubeSim stores untyped JSON, so it cannot look tags up on Go structs; this table is the
/// subset of tags that matters for the kinds KubeSim serves. Maps need no entry: they always
/// merge key by key. `retainKeys` needs none either: the server honours `$retainKeys` wherever
/// it appears.
struct PatchSchema: Sendable {
    private let lists: [String: ListMergeStrategy]

    func strategy(at path: String) -> ListMergeStrategy? { lists[path] }

    /// Picks the table by the object's own `kind`. Unknown kinds get object metadata and a pod
    /// template under `spec.template`, which covers workload-like custom objects.
    init(for object: JSON) {
        var lists = Self.objectMeta("metadata")
        switch object["kind"]?.string ?? "" {
        case "Pod":
            lists.merge(Self.podSpec("spec")) { $1 }
            lists.merge(Self.podStatus("status")) { $1 }
        case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
            lists.merge(Self.podTemplate("spec.template")) { $1 }
            lists["status.conditions"] = .byKey("type")
        case "Service":
            lists["spec.ports"] = .byKey("port")
            lists["status.conditions"] = .byKey("type")
        case "Namespace":
            lists["status.conditions"] = .byKey("type")
        case "Endpoints", "ConfigMap", "Event":
            break
        default:
            lists.merge(Self.podTemplate("spec.template")) { $1 }
        }
        self.lists = lists
    }

    private static func objectMeta(_ at: String) -> [String: ListMergeStrategy] {
        ["\(at).ownerReferences": .byKey("uid"), "\(at).finalizers": .primitives]
    }

    private static func podTemplate(_ at: String) -> [String: ListMergeStrategy] {
        objectMeta("\(at).metadata").merging(podSpec("\(at).spec")) { $1 }
    }

    private static func podSpec(_ at: String) -> [String: ListMergeStrategy] {
        var lists: [String: ListMergeStrategy] = [
            "\(at).volumes": .byKey("name"),
            "\(at).imagePullSecrets": .byKey("name"),
            "\(at).hostAliases": .byKey("ip"),
            "\(at).topologySpreadConstraints": .byKey("topologyKey"),
            "\(at).schedulingGates": .byKey("name"),
            "\(at).resourceClaims": .byKey("name"),
        ]
        for field in ["containers", "initContainers", "ephemeralContainers"] {
            lists["\(at).\(field)"] = .byKey("name")
            lists["\(at).\(field)[].env"] = .byKey("name")
            lists["\(at).\(field)[].ports"] = .byKey("containerPort")
            lists["\(at).\(field)[].volumeMounts"] = .byKey("mountPath")
            lists["\(at).\(field)[].volumeDevices"] = .byKey("devicePath")
        }
        return lists
    }

    private static func podStatus(_ at: String) -> [String: ListMergeStrategy] {
        [
            "\(at).conditions": .byKey("type"),
            "\(at).podIPs": .byKey("ip"),
            "\(at).hostIPs": .byKey("ip"),
            "\(at).resourceClaimStatuses": .byKey("name"),
        ]
    }
}
