/// The addresses a Service currently routes to, as the endpoints controller computed them.
/// No subsets (or only `notReadyAddresses`) means traffic to the Service fails.
public struct Endpoints: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    @DefaultEmpty public var subsets: [EndpointSubset]

    public init(apiVersion: String? = "v1", kind: String? = "Endpoints", metadata: ObjectMeta, subsets: [EndpointSubset] = []) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.subsets = subsets
    }
}

public struct EndpointSubset: Codable, Sendable, Hashable {
    @DefaultEmpty public var addresses: [EndpointAddress]
    @DefaultEmpty public var notReadyAddresses: [EndpointAddress]
    @DefaultEmpty public var ports: [EndpointPort]

    public init(addresses: [EndpointAddress] = [], notReadyAddresses: [EndpointAddress] = [], ports: [EndpointPort] = []) {
        self.addresses = addresses
        self.notReadyAddresses = notReadyAddresses
        self.ports = ports
    }
}

/// One backend; `targetRef` names the pod behind it.
public struct EndpointAddress: Codable, Sendable, Hashable {
    public var ip: String
    public var hostname: String?
    public var nodeName: String?
    public var targetRef: ObjectReference?

    public init(ip: String, hostname: String? = nil, nodeName: String? = nil, targetRef: ObjectReference? = nil) {
        self.ip = ip
        self.hostname = hostname
        self.nodeName = nodeName
        self.targetRef = targetRef
    }
}

public struct EndpointPort: Codable, Sendable, Hashable {
    public var name: String?
    public var port: Int
    public var `protocol`: String?
    public var appProtocol: String?

    public init(name: String? = nil, port: Int, protocol: String? = nil, appProtocol: String? = nil) {
        self.name = name
        self.port = port
        self.protocol = `protocol`
        self.appProtocol = appProtocol
    }
}
