import Foundation

/// A pod as the API returns it: the unit whose container statuses carry most failure evidence.
public struct Pod: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec
    @DefaultEmpty public var status: PodStatus

    public init(
        apiVersion: String? = "v1",
        kind: String? = "Pod",
        metadata: ObjectMeta,
        spec: PodSpec,
        status: PodStatus = .init()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
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
