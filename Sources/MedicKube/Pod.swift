import Foundation

/// A pod as the API returns it: the unit whose container statuses carry most failure evidence.
///
/// Its fields live in one shared box, copied on write: a pass puts each of a cluster's pods in
/// several joins (by workload, namespace, Service), and a copy of the box is one reference
/// count where a copy of the fields is dozens.
public struct Pod: Codable, Sendable, Hashable {
    private final class Storage: @unchecked Sendable {
        // Mutated only through `unique()`, when this box has no other owner.
        var apiVersion: String?
        var kind: String?
        var metadata: ObjectMeta
        var spec: PodSpec
        var status: PodStatus

        init(apiVersion: String?, kind: String?, metadata: ObjectMeta, spec: PodSpec, status: PodStatus) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }
    }

    private var storage: Storage

    public var apiVersion: String? {
        _read { yield storage.apiVersion }
        _modify { yield &unique().apiVersion }
    }
    public var kind: String? {
        _read { yield storage.kind }
        _modify { yield &unique().kind }
    }
    public var metadata: ObjectMeta {
        _read { yield storage.metadata }
        _modify { yield &unique().metadata }
    }
    public var spec: PodSpec {
        _read { yield storage.spec }
        _modify { yield &unique().spec }
    }
    /// Absent or `null` in the JSON is the empty status, and an empty one is left out.
    public var status: PodStatus {
        _read { yield storage.status }
        _modify { yield &unique().status }
    }

    public init(
        apiVersion: String? = "v1",
        kind: String? = "Pod",
        metadata: ObjectMeta,
        spec: PodSpec,
        status: PodStatus = .init()
    ) {
        storage = Storage(apiVersion: apiVersion, kind: kind, metadata: metadata, spec: spec, status: status)
    }

    /// The box, copied first when another pod shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(apiVersion: storage.apiVersion, kind: storage.kind, metadata: storage.metadata,
                              spec: storage.spec, status: storage.status)
        }
        return storage
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, spec, status
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(apiVersion: try container.decodeIfPresent(String.self, forKey: .apiVersion),
                  kind: try container.decodeIfPresent(String.self, forKey: .kind),
                  metadata: try container.decode(ObjectMeta.self, forKey: .metadata),
                  spec: try container.decode(PodSpec.self, forKey: .spec),
                  status: try container.decodeIfPresent(PodStatus.self, forKey: .status) ?? .emptyDefault)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(spec, forKey: .spec)
        if status != .emptyDefault { try container.encode(status, forKey: .status) }
    }

    public static func == (a: Pod, b: Pod) -> Bool {
        a.storage === b.storage || (a.apiVersion == b.apiVersion && a.kind == b.kind && a.metadata == b.metadata
            && a.spec == b.spec && a.status == b.status)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(apiVersion)
        hasher.combine(kind)
        hasher.combine(metadata)
        hasher.combine(spec)
        hasher.combine(status)
    }
}

/// What should run in a pod.
public struct PodSpec: Codable, Sendable, Hashable {
    @DefaultEmpty public var containers: [Container]
    @DefaultEmpty public var initContainers: [Container]
    public var restartPolicy: String?
    public var nodeName: String?
    public var serviceAccountName: String?
    public var terminationGracePeriodSeconds: Int?
    /// Where the pod may run: what the scheduler's FailedScheduling messages are about, and
    /// what a bad rollout's diff shows when it made pods unschedulable.
    @DefaultEmpty public var nodeSelector: [String: String]
    public var affinity: JSON?
    @DefaultEmpty public var tolerations: [JSON]
    @DefaultEmpty public var volumes: [JSON]

    public init(
        containers: [Container] = [],
        initContainers: [Container] = [],
        restartPolicy: String? = nil,
        nodeName: String? = nil,
        serviceAccountName: String? = nil,
        terminationGracePeriodSeconds: Int? = nil,
        nodeSelector: [String: String] = [:],
        affinity: JSON? = nil,
        tolerations: [JSON] = [],
        volumes: [JSON] = []
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.restartPolicy = restartPolicy
        self.nodeName = nodeName
        self.serviceAccountName = serviceAccountName
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.nodeSelector = nodeSelector
        self.affinity = affinity
        self.tolerations = tolerations
        self.volumes = volumes
    }

    /// The container called `name`, init containers included.
    public func container(named name: String) -> Container? {
        containers.first { $0.name == name } ?? initContainers.first { $0.name == name }
    }
}
