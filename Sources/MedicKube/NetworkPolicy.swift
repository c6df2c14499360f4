/// A NetworkPolicy, as far as medic judges one: which pods it selects, which directions it
/// isolates, and whether it lets anything through. medic asks "does any rule allow traffic at
/// all", never which peer a rule admits.
public struct NetworkPolicy: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NetworkPolicySpec

    public init(apiVersion: String? = "networking.k8s.io/v1", kind: String? = "NetworkPolicy", metadata: ObjectMeta,
                spec: NetworkPolicySpec) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }
}

public struct NetworkPolicySpec: Codable, Sendable, Hashable {
    /// Empty selects every pod of the namespace.
    public var podSelector: LabelSelector
    /// The directions it isolates. Absent: Ingress, plus Egress when it has egress rules (the
    /// API server's defaulting).
    public var policyTypes: [String]?
    /// Each element is one rule; an empty rule (`{}`) allows all traffic in that direction.
    @DefaultEmpty public var ingress: [NetworkPolicyRule]
    @DefaultEmpty public var egress: [NetworkPolicyRule]

    public init(podSelector: LabelSelector = LabelSelector(), policyTypes: [String]? = nil,
                ingress: [NetworkPolicyRule] = [], egress: [NetworkPolicyRule] = []) {
        self.podSelector = podSelector
        self.policyTypes = policyTypes
        self.ingress = ingress
        self.egress = egress
    }

    public var isolatesIngress: Bool { policyTypes?.contains("Ingress") ?? true }
    public var isolatesEgress: Bool { policyTypes?.contains("Egress") ?? !egress.isEmpty }
}

/// One ingress or egress rule. Its peers and ports are kept as written, not interpreted: a
/// rule that exists lets some traffic through, which is all medic concludes from it.
public struct NetworkPolicyRule: Codable, Sendable, Hashable {
    public var from: [JSON]?
    public var to: [JSON]?
    public var ports: [JSON]?

    public init(from: [JSON]? = nil, to: [JSON]? = nil, ports: [JSON]? = nil) {
        self.from = from
        self.to = to
        self.ports = ports
    }
}
