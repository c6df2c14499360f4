/// An Ingress, as far as medic reads one: the Services it sends outside traffic to. Those are
/// entry points of the service graph: an incident whose path they cross is felt by users.
public struct Ingress: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: IngressSpec

    public init(apiVersion: String? = "networking.k8s.io/v1", kind: String? = "Ingress", metadata: ObjectMeta,
                spec: IngressSpec) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }

    /// The Services its default backend and its rules' paths name, in its namespace, sorted.
    public var serviceNames: [String] {
        let backends = [spec.defaultBackend].compactMap(\.self) + spec.rules.flatMap { $0.http?.paths.map(\.backend) ?? [] }
        return Set(backends.compactMap { $0.service?.name }).sorted()
    }
}

public struct IngressSpec: Codable, Sendable, Hashable {
    public var defaultBackend: IngressBackend?
    @DefaultEmpty public var rules: [IngressRule]

    public init(defaultBackend: IngressBackend? = nil, rules: [IngressRule] = []) {
        self.defaultBackend = defaultBackend
        self.rules = rules
    }
}

public struct IngressRule: Codable, Sendable, Hashable {
    public var host: String?
    public var http: HTTPIngressRuleValue?

    public init(host: String? = nil, http: HTTPIngressRuleValue? = nil) {
        self.host = host
        self.http = http
    }
}

public struct HTTPIngressRuleValue: Codable, Sendable, Hashable {
    @DefaultEmpty public var paths: [HTTPIngressPath]

    public init(paths: [HTTPIngressPath] = []) { self.paths = paths }
}

public struct HTTPIngressPath: Codable, Sendable, Hashable {
    public var path: String?
    public var backend: IngressBackend

    public init(path: String? = nil, backend: IngressBackend) {
        self.path = path
        self.backend = backend
    }
}

/// A Service backend (a `resource` backend leads to no Service and is kept as nil).
public struct IngressBackend: Codable, Sendable, Hashable {
    public var service: IngressServiceBackend?

    public init(service: IngressServiceBackend? = nil) { self.service = service }
}

public struct IngressServiceBackend: Codable, Sendable, Hashable {
    public var name: String
    /// `{number: 80}` or `{name: http}`, kept as written.
    public var port: JSON?

    public init(name: String, port: JSON? = nil) {
        self.name = name
        self.port = port
    }
}
