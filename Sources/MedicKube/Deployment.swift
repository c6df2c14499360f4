import Foundation

/// A Deployment: the workload most remediations act on (restart, set env/image/resources, undo).
public struct Deployment: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: DeploymentSpec
    @DefaultEmpty public var status: DeploymentStatus

    public init(
        apiVersion: String? = "apps/v1",
        kind: String? = "Deployment",
        metadata: ObjectMeta,
        spec: DeploymentSpec,
        status: DeploymentStatus = .init()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct DeploymentSpec: Codable, Sendable, Hashable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var strategy: DeploymentStrategy?
    public var paused: Bool?
    public var minReadySeconds: Int?
    public var revisionHistoryLimit: Int?
    public var progressDeadlineSeconds: Int?

    public init(
        replicas: Int? = nil,
        selector: LabelSelector,
        template: PodTemplateSpec,
        strategy: DeploymentStrategy? = nil,
        paused: Bool? = nil,
        minReadySeconds: Int? = nil,
        revisionHistoryLimit: Int? = nil,
        progressDeadlineSeconds: Int? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.strategy = strategy
        self.paused = paused
        self.minReadySeconds = minReadySeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.progressDeadlineSeconds = progressDeadlineSeconds
    }
}

/// `RollingUpdate` (with surge/unavailable as counts or percentages) or `Recreate`.
public struct DeploymentStrategy: Codable, Sendable, Hashable {
    public var type: String?
    public var rollingUpdate: RollingUpdate?

    public init(type: String? = nil, rollingUpdate: RollingUpdate? = nil) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }
}

/// Rolling-update bounds shared by Deployments, DaemonSets and StatefulSets (`partition`).
public struct RollingUpdate: Codable, Sendable, Hashable {
    public var maxSurge: IntOrString?
    public var maxUnavailable: IntOrString?
    public var partition: Int?

    public init(maxSurge: IntOrString? = nil, maxUnavailable: IntOrString? = nil, partition: Int? = nil) {
        self.maxSurge = maxSurge
        self.maxUnavailable = maxUnavailable
        self.partition = partition
    }
}

/// Counts the controller last observed; the API omits zeros, so absent means 0.
public struct DeploymentStatus: Codable, Sendable, Hashable, EmptyDefault {
    public var replicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var updatedReplicas: Int?
    public var unavailableReplicas: Int?
    public var observedGeneration: Int?
    @DefaultEmpty public var conditions: [Condition]

    public init(
        replicas: Int? = nil,
        readyReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        updatedReplicas: Int? = nil,
        unavailableReplicas: Int? = nil,
        observedGeneration: Int? = nil,
        conditions: [Condition] = []
    ) {
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.updatedReplicas = updatedReplicas
        self.unavailableReplicas = unavailableReplicas
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    public static var emptyDefault: Self { .init() }
}
