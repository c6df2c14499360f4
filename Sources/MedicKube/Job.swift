import Foundation

/// A Job: pods run to completion, retried up to `backoffLimit`.
public struct Job: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: JobSpec
    @DefaultEmpty public var status: JobStatus

    public init(
        apiVersion: String? = "batch/v1",
        kind: String? = "Job",
        metadata: ObjectMeta,
        spec: JobSpec,
        status: JobStatus = .init()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct JobSpec: Codable, Sendable, Hashable {
    public var parallelism: Int?
    public var completions: Int?
    public var backoffLimit: Int?
    public var activeDeadlineSeconds: Int?
    public var ttlSecondsAfterFinished: Int?
    public var suspend: Bool?
    public var selector: LabelSelector?
    public var template: PodTemplateSpec

    public init(
        parallelism: Int? = nil,
        completions: Int? = nil,
        backoffLimit: Int? = nil,
        activeDeadlineSeconds: Int? = nil,
        ttlSecondsAfterFinished: Int? = nil,
        suspend: Bool? = nil,
        selector: LabelSelector? = nil,
        template: PodTemplateSpec
    ) {
        self.parallelism = parallelism
        self.completions = completions
        self.backoffLimit = backoffLimit
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.ttlSecondsAfterFinished = ttlSecondsAfterFinished
        self.suspend = suspend
        self.selector = selector
        self.template = template
    }
}

public struct JobStatus: Codable, Sendable, Hashable, EmptyDefault {
    public var active: Int?
    public var succeeded: Int?
    public var failed: Int?
    public var ready: Int?
    public var startTime: Date?
    public var completionTime: Date?
    @DefaultEmpty public var conditions: [Condition]

    public init(
        active: Int? = nil,
        succeeded: Int? = nil,
        failed: Int? = nil,
        ready: Int? = nil,
        startTime: Date? = nil,
        completionTime: Date? = nil,
        conditions: [Condition] = []
    ) {
        self.active = active
        self.succeeded = succeeded
        self.failed = failed
        self.ready = ready
        self.startTime = startTime
        self.completionTime = completionTime
        self.conditions = conditions
    }

    public static var emptyDefault: Self { .init() }
}
