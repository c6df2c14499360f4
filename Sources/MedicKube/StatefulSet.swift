import Foundation

/// A StatefulSet: pods with stable names, owned directly (no ReplicaSet in between).
public struct StatefulSet: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: StatefulSetSpec
    @DefaultEmpty public var status: StatefulSetStatus

    public init(
        apiVersion: String? = "apps/v1",
        kind: String? = "StatefulSet",
        metadata: ObjectMeta,
        spec: StatefulSetSpec,
        status: StatefulSetStatus = .init()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct StatefulSetSpec: Codable, Sendable, Hashable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var serviceName: String?
    public var podManagementPolicy: String?
    public var updateStrategy: UpdateStrategy?
    public var minReadySeconds: Int?

    public init(
        replicas: Int? = nil,
        selector: LabelSelector,
        template: PodTemplateSpec,
        serviceName: String? = nil,
        podManagementPolicy: String? = nil,
        updateStrategy: UpdateStrategy? = nil,
        minReadySeconds: Int? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.serviceName = serviceName
        self.podManagementPolicy = podManagementPolicy
        self.updateStrategy = updateStrategy
        self.minReadySeconds = minReadySeconds
    }
}

/// The `updateStrategy` of StatefulSets and DaemonSets: `RollingUpdate` or `OnDelete`.
public struct UpdateStrategy: Codable, Sendable, Hashable {
    public var type: String?
    public var rollingUpdate: RollingUpdate?

    public init(type: String? = nil, rollingUpdate: RollingUpdate? = nil) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }
}

public struct StatefulSetStatus: Codable, Sendable, Hashable, EmptyDefault {
    public var replicas: Int?
    public var readyReplicas: Int?
    public var currentReplicas: Int?
    public var updatedReplicas: Int?
    public var availableReplicas: Int?
    public var currentRevision: String?
    public var updateRevision: String?
    public var observedGeneration: Int?
    @DefaultEmpty public var conditions: [Condition]

    public init(
        replicas: Int? = nil,
        readyReplicas: Int? = nil,
        currentReplicas: Int? = nil,
        updatedReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        currentRevision: String? = nil,
        updateRevision: String? = nil,
        observedGeneration: Int? = nil,
        conditions: [Condition] = []
    ) {
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.currentReplicas = currentReplicas
        self.updatedReplicas = updatedReplicas
        self.availableReplicas = availableReplicas
        self.currentRevision = currentRevision
        self.updateRevision = updateRevision
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    public static var emptyDefault: Self { .init() }
}
