/// A Service: a stable address in front of the pods its selector picks. A selector that picks
/// nothing is the selector-mismatch failure.
public struct Service: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ServiceSpec

    public init(apiVersion: String? = "v1", kind: String? = "Service", metadata: ObjectMeta, spec: ServiceSpec) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }
}

public struct ServiceSpec: Codable, Sendable, Hashable {
    /// Plain equality on every pair. Empty means the Service has no selector (its Endpoints are
    /// managed by hand), not "select everything".
    @DefaultEmpty public var selector: [String: String]
    @DefaultEmpty public var ports: [ServicePort]
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    public var type: String?
    public var clusterIP: String?
    public var externalName: String?
    public var sessionAffinity: String?

    public init(
        selector: [String: String] = [:],
        ports: [ServicePort] = [],
        type: String? = nil,
        clusterIP: String? = nil,
        externalName: String? = nil,
        sessionAffinity: String? = nil
    ) {
        self.selector = selector
        self.ports = ports
        self.type = type
        self.clusterIP = clusterIP
        self.externalName = externalName
        self.sessionAffinity = sessionAffinity
    }
}

/// A port the Service exposes and the pod port (`targetPort`, a number or a container port
/// name) it forwards to; absent `targetPort` means the same number as `port`.
public struct ServicePort: Codable, Sendable, Hashable {
    public var name: String?
    public var `protocol`: String?
    public var port: Int
    public var targetPort: IntOrString?
    public var nodePort: Int?
    public var appProtocol: String?

    public init(
        name: String? = nil,
        protocol: String? = nil,
        port: Int,
        targetPort: IntOrString? = nil,
        nodePort: Int? = nil,
        appProtocol: String? = nil
    ) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.targetPort = targetPort
        self.nodePort = nodePort
        self.appProtocol = appProtocol
    }
}
