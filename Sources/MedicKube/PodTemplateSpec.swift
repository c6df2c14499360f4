/// The pod a workload stamps out; changing it is what triggers a new rollout.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    @DefaultEmpty public var metadata: TemplateMetadata
    public var spec: PodSpec

    public init(metadata: TemplateMetadata = .init(), spec: PodSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The metadata of a pod template: pods made from it get their names from the controller, so
/// unlike `ObjectMeta` nothing here is required.
public struct TemplateMetadata: Codable, Sendable, Hashable, EmptyDefault {
    public var name: String?
    @DefaultEmpty public var labels: [String: String]
    @DefaultEmpty public var annotations: [String: String]

    public init(name: String? = nil, labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
    }

    public static var emptyDefault: Self { .init() }
}
