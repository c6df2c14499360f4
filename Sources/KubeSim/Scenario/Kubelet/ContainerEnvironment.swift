import MedicKube

/// The environment a container starts with, as far as the app's required variables go:
/// `env` entries (a value or a `valueFrom`), and `envFrom` ConfigMaps and Secrets that exist
/// and have the key (with their `prefix`).
enum ContainerEnvironment {
    /// The first of `required` the container does not get; nil when it has them all.
    static func firstMissing(_ required: [String], container: JSON, namespace: String,
                             cluster: ClusterState) -> String? {
        guard !required.isEmpty else { return nil }
        var names = Set((container["env"]?.array ?? []).compactMap { $0["name"]?.string })
        for source in container["envFrom"]?.array ?? [] {
            let prefix = source["prefix"]?.string ?? ""
            let reference: (ResourceType, JSON)? = source["configMapRef"].map { (.configMap, $0) }
                ?? source["secretRef"].map { (.secret, $0) }
            guard let (type, ref) = reference, let name = ref["name"]?.string,
                  let object = cluster.get(type, namespace: namespace, name: name) else { continue }
            for field in ["data", "stringData", "binaryData"] {
                for key in object[field]?.object?.keys ?? [:].keys { names.insert(prefix + key) }
            }
        }
        return required.first { !names.contains($0) }
    }

    /// The kubelet's error building the container's environment, in its words: a referenced
    /// ConfigMap or Secret that does not exist (`configmap "x" not found`), or a key it lacks
    /// (`couldn't find key K in ConfigMap ns/x`). References marked `optional` are skipped.
    static func configError(container: JSON, namespace: String, cluster: ClusterState) -> String? {
        for variable in container["env"]?.array ?? [] {
            for (field, type, kind) in [("configMapKeyRef", ResourceType.configMap, "ConfigMap"),
                                        ("secretKeyRef", ResourceType.secret, "Secret")] {
                guard let ref = variable[path: ["valueFrom", field]], ref["optional"]?.bool != true else { continue }
                let name = ref["name"]?.string ?? ""
                let key = ref["key"]?.string ?? ""
                guard let object = cluster.get(type, namespace: namespace, name: name) else {
                    return "\(type.singular) \"\(name)\" not found"
                }
                let keys = ["data", "binaryData", "stringData"].flatMap { object[$0]?.object?.keys.map { $0 } ?? [] }
                if !keys.contains(key) { return "couldn't find key \(key) in \(kind) \(namespace)/\(name)" }
            }
        }
        for source in container["envFrom"]?.array ?? [] {
            for (field, type) in [("configMapRef", ResourceType.configMap), ("secretRef", ResourceType.secret)] {
                guard let ref = source[field], ref["optional"]?.bool != true, let name = ref["name"]?.string else { continue }
                if cluster.get(type, namespace: namespace, name: name) == nil { return "\(type.singular) \"\(name)\" not found" }
            }
        }
        return nil
    }
}
