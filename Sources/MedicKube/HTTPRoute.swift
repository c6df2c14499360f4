/// A Gateway API HTTPRoute, as far as medic reads one: the Services its rules send traffic
/// to. Like an Ingress's, they are entry points of the service graph. A cluster without the
/// Gateway API CRDs has none (the list answers 404).
public struct HTTPRoute: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: HTTPRouteSpec

    public init(apiVersion: String? = "gateway.networking.k8s.io/v1", kind: String? = "HTTPRoute", metadata: ObjectMeta,
                spec: HTTPRouteSpec) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }

    /// The Services its backendRefs name (the core group, kind Service, which are the
    /// defaults), in the namespace each names or the route's own, sorted.
    public var services: [ObjectRef] {
        let namespace = metadata.namespace ?? "default"
        let refs = spec.rules.flatMap(\.backendRefs).filter { ($0.group ?? "").isEmpty && ($0.kind ?? "Service") == "Service" }
        return Set(refs.map { ObjectRef(kind: "Service", namespace: $0.namespace ?? namespace, name: $0.name) })
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }
}

public struct HTTPRouteSpec: Codable, Sendable, Hashable {
    @DefaultEmpty public var rules: [HTTPRouteRule]

    public init(rules: [HTTPRouteRule] = []) { self.rules = rules }
}

public struct HTTPRouteRule: Codable, Sendable, Hashable {
    @DefaultEmpty public var backendRefs: [HTTPBackendRef]

    public init(backendRefs: [HTTPBackendRef] = []) { self.backendRefs = backendRefs }
}

public struct HTTPBackendRef: Codable, Sendable, Hashable {
    public var group: String?
    public var kind: String?
    public var name: String
    public var namespace: String?
    public var port: Int?

    public init(group: String? = nil, kind: String? = nil, name: String, namespace: String? = nil, port: Int? = nil) {
        (self.group, self.kind, self.name, self.namespace, self.port) = (group, kind, name, namespace, port)
    }
}
