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
}
