import Foundation

/// One revision of a Deployment. Old ReplicaSets are how `rollout undo` finds the last image
/// and env that worked.
public struct ReplicaSet: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ReplicaSetSpec
    @DefaultEmpty public var status: ReplicaSetStatus

    public init(
        apiVersion: String? = "apps/v1",
        kind: String? = "ReplicaSet",
        metadata: ObjectMeta,
        spec: ReplicaSetSpec,
        status: ReplicaSetStatus = .init()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// The Deployment revision this ReplicaSet holds (annotation
    /// `deployment.kubernetes.io/revision`), or nil when absent or not a number.
    public var revision: Int? {
        metadata.annotations["deployment.kubernetes.io/revision"].flatMap { Int($0) }
    }
}

public struct ReplicaSetSpec: Codable, Sendable, Hashable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec?
    public var minReadySeconds: Int?

    public init(
        replicas: Int? = nil,
        selector: LabelSelector,
        template: PodTemplateSpec? = nil,
        minReadySeconds: Int? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.minReadySeconds = minReadySeconds
    }
}

public struct ReplicaSetStatus: Codable, Sendable, Hashable, EmptyDefault {
    public var replicas: Int?
    public var fullyLabeledReplicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var observedGeneration: Int?
    @DefaultEmpty public var conditions: [Condition]

    public init(
        replicas: Int? = nil,
        fullyLabeledReplicas: Int? = nil,
        readyReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        observedGeneration: Int? = nil,
        conditions: [Condition] = []
    ) {
        self.replicas = replicas
        self.fullyLabeledReplicas = fullyLabeledReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    public static var emptyDefault: Self { .init() }
}
