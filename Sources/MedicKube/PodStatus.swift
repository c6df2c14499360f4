import Foundation

/// What the kubelet last reported about a pod.
public struct PodStatus: Codable, Sendable, Hashable, EmptyDefault {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`. A crash-looping pod stays `Running`.
    public var phase: String?
    public var reason: String?
    public var message: String?
    public var hostIP: String?
    public var podIP: String?
    public var qosClass: String?
    public var startTime: Date?
    @DefaultEmpty public var conditions: [Condition]
    @DefaultEmpty public var containerStatuses: [ContainerStatus]
    @DefaultEmpty public var initContainerStatuses: [ContainerStatus]

    public init(
        phase: String? = nil,
        reason: String? = nil,
        message: String? = nil,
        hostIP: String? = nil,
        podIP: String? = nil,
        qosClass: String? = nil,
        startTime: Date? = nil,
        conditions: [Condition] = [],
        containerStatuses: [ContainerStatus] = [],
        initContainerStatuses: [ContainerStatus] = []
    ) {
        self.phase = phase
        self.reason = reason
        self.message = message
        self.hostIP = hostIP
        self.podIP = podIP
        self.qosClass = qosClass
        self.startTime = startTime
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
    }

    public static var emptyDefault: Self { .init() }

    /// The status of the container called `name`, init containers included.
    public func containerStatus(named name: String) -> ContainerStatus? {
        containerStatuses.first { $0.name == name } ?? initContainerStatuses.first { $0.name == name }
    }
}

/// One container's runtime state: the current one and the one before the last restart, which
/// is where an OOM kill or crash shows once the container is back-off waiting.
public struct ContainerStatus: Codable, Sendable, Hashable {
    public var name: String
    public var ready: Bool
    public var started: Bool?
    public var restartCount: Int
    public var image: String
    public var imageID: String?
    public var containerID: String?
    @DefaultEmpty public var state: ContainerState
    @DefaultEmpty public var lastState: ContainerState

    public init(
        name: String,
        ready: Bool = false,
        started: Bool? = nil,
        restartCount: Int = 0,
        image: String,
        imageID: String? = nil,
        containerID: String? = nil,
        state: ContainerState = .init(),
        lastState: ContainerState = .init()
    ) {
        self.name = name
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.state = state
        self.lastState = lastState
    }
}

extension ContainerStatus {
    /// The kubelet's crash back-off tops out at 5 minutes and resets after 10 of running: a
    /// failure younger than that belongs to a loop that may still be going.
    public static let crashWindow: TimeInterval = 600

    /// The last instance that failed (a non-zero exit code): the current one when it is dead,
    /// else the one before the last restart; nil when that one did not fail.
    public var lastFailure: ContainerStateTerminated? {
        guard let last = state.terminated ?? lastState.terminated, last.exitCode != 0 else { return nil }
        return last
    }

    /// In a crash loop at `now`: waiting out the back-off, or caught between two crashes (dead,
    /// or running again) with its last failure inside `crashWindow`.
    public func isCrashLooping(at now: Date) -> Bool {
        guard restartCount > 0 else { return false }
        if state.waiting?.reason == "CrashLoopBackOff" { return true }
        guard let finished = lastFailure?.finishedAt else { return false }
        return now.timeIntervalSince(finished) < Self.crashWindow
    }
}

/// At most one of the three is set; none is set for a container that has not been created yet.
public struct ContainerState: Codable, Sendable, Hashable, EmptyDefault {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(
        waiting: ContainerStateWaiting? = nil,
        running: ContainerStateRunning? = nil,
        terminated: ContainerStateTerminated? = nil
    ) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }

    public static var emptyDefault: Self { .init() }
}

/// Not running yet or any more: `CrashLoopBackOff`, `ImagePullBackOff`, `ErrImagePull`,
/// `CreateContainerConfigError`, `ContainerCreating`, …
public struct ContainerStateWaiting: Codable, Sendable, Hashable {
    public var reason: String?
    public var message: String?

    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// Running since `startedAt`.
public struct ContainerStateRunning: Codable, Sendable, Hashable {
    public var startedAt: Date?

    public init(startedAt: Date? = nil) {
        self.startedAt = startedAt
    }
}

/// Exited: `OOMKilled` (exit code 137), `Error`, `Completed`, …
public struct ContainerStateTerminated: Codable, Sendable, Hashable {
    public var exitCode: Int
    public var signal: Int?
    public var reason: String?
    public var message: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var containerID: String?

    public init(
        exitCode: Int,
        signal: Int? = nil,
        reason: String? = nil,
        message: String? = nil,
        startedAt: Date? = nil,
        finishedAt: Date? = nil,
        containerID: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
