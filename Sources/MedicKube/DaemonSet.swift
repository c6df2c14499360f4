import Foundation

/// A DaemonSet: one pod per eligible node, owned directly.
public struct DaemonSet: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: DaemonSetSpec
    @DefaultEmpty public var status: DaemonSetStatus

    public init(
        apiVersion: String? = "apps/v1",
        kind: String? = "DaemonSet",
        metadata: ObjectMeta,
        spec: DaemonSetSpec,
        status: DaemonSetStatus = .init()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct DaemonSetSpec: Codable, Sendable, Hashable {
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var updateStrategy: UpdateStrategy?
    public var minReadySeconds: Int?

    public init(
        selector: LabelSelector,
        template: PodTemplateSpec,
        updateStrategy: UpdateStrategy? = nil,
        minReadySeconds: Int? = nil
    ) {
        self.selector = selector
        self.template = template
        self.updateStrategy = updateStrategy
        self.minReadySeconds = minReadySeconds
    }
}

public struct DaemonSetStatus: Codable, Sendable, Hashable, EmptyDefault {
    public var currentNumberScheduled: Int?
    public var desiredNumberScheduled: Int?
    public var numberMisscheduled: Int?
    public var numberReady: Int?
    public var numberAvailable: Int?
    public var numberUnavailable: Int?
    public var updatedNumberScheduled: Int?
    public var observedGeneration: Int?
    @DefaultEmpty public var conditions: [Condition]

    public init(
        currentNumberScheduled: Int? = nil,
        desiredNumberScheduled: Int? = nil,
        numberMisscheduled: Int? = nil,
        numberReady: Int? = nil,
        numberAvailable: Int? = nil,
        numberUnavailable: Int? = nil,
        updatedNumberScheduled: Int? = nil,
        observedGeneration: Int? = nil,
        conditions: [Condition] = []
    ) {
        self.currentNumberScheduled = currentNumberScheduled
        self.desiredNumberScheduled = desiredNumberScheduled
        self.numberMisscheduled = numberMisscheduled
        self.numberReady = numberReady
        self.numberAvailable = numberAvailable
        self.numberUnavailable = numberUnavailable
        self.updatedNumberScheduled = updatedNumberScheduled
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    public static var emptyDefault: Self { .init() }
}
