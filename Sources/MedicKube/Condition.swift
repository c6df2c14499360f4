import Foundation

/// The conditions of pods and workloads (`Available`, `Progressing`, `Ready`, `Failed`, …):
/// one shape, the union of the per-kind Go types.
public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    /// `"True"`, `"False"` or `"Unknown"`, as the API writes it.
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Date?
    public var lastUpdateTime: Date?
    public var lastProbeTime: Date?

    public init(
        type: String,
        status: String,
        reason: String? = nil,
        message: String? = nil,
        lastTransitionTime: Date? = nil,
        lastUpdateTime: Date? = nil,
        lastProbeTime: Date? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.lastUpdateTime = lastUpdateTime
        self.lastProbeTime = lastProbeTime
    }

    /// True when `status` is `"True"`.
    public var isTrue: Bool { status == "True" }
}

public typealias PodCondition = Condition
public typealias DeploymentCondition = Condition
public typealias ReplicaSetCondition = Condition
public typealias StatefulSetCondition = Condition
public typealias DaemonSetCondition = Condition
public typealias JobCondition = Condition
