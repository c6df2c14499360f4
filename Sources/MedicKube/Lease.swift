import Foundation

/// A `coordination.k8s.io/v1` Lease: the record replicas of `medic run` compete for, so that
/// exactly one of them acts on the cluster. The holder renews it; the others take it over
/// once it has not changed for `leaseDurationSeconds`.
public struct Lease: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec = Spec()) {
        self.apiVersion = Self.resource.apiVersion
        self.kind = Self.resource.kind
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, spec
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        spec = try container.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
    }

    /// Who holds the lease and since when. Every field is optional on the wire.
    public struct Spec: Codable, Sendable, Hashable {
        /// Empty or absent: nobody holds it (a released lease).
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        public var acquireTime: Date?
        public var renewTime: Date?
        public var leaseTransitions: Int?

        public init(
            holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: Date? = nil,
            renewTime: Date? = nil, leaseTransitions: Int? = nil
        ) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }

        enum CodingKeys: String, CodingKey {
            case holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            holderIdentity = try container.decodeIfPresent(String.self, forKey: .holderIdentity)
            leaseDurationSeconds = try container.decodeIfPresent(Int.self, forKey: .leaseDurationSeconds)
            acquireTime = try Self.decodeMicroTime(container, .acquireTime)
            renewTime = try Self.decodeMicroTime(container, .renewTime)
            leaseTransitions = try container.decodeIfPresent(Int.self, forKey: .leaseTransitions)
        }

        /// The times are written as `MicroTime` (always six fractional digits), which the API
        /// server requires for these two fields; `metav1.Time` would be rejected.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(holderIdentity, forKey: .holderIdentity)
            try container.encodeIfPresent(leaseDurationSeconds, forKey: .leaseDurationSeconds)
            try container.encodeIfPresent(acquireTime.map(Self.microTime), forKey: .acquireTime)
            try container.encodeIfPresent(renewTime.map(Self.microTime), forKey: .renewTime)
            try container.encodeIfPresent(leaseTransitions, forKey: .leaseTransitions)
        }

        /// `2024-05-01T10:00:02.000000Z`.
        public static func microTime(_ date: Date) -> String {
            let text = RFC3339.format(date)
            return text.contains(".") ? text : String(text.dropLast()) + ".000000Z"
        }

        private static func decodeMicroTime(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "expected a MicroTime such as \"2024-05-01T10:00:00.000000Z\", found \(KubeJSON.quoted(text))")
            }
            return date
        }
    }
}

extension Lease: KubeObject {
    public static let resource = KubeResource(
        group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true)
}
