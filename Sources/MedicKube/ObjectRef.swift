/// Names one namespaced Kubernetes object. Findings, actions, policies and audit lines all
/// point at objects with this value, so they agree on what "the same object" means.
public struct ObjectRef: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The object's kind as the API spells it: "Deployment", "StatefulSet", "DaemonSet", "Service", "Pod".
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// "Deployment production/auth-service": the form humans read in reports and logs.
    public var description: String {
        "\(kind) \(namespace)/\(name)"
    }
}
