import Foundation

/// The kubelet's back-off: 10 s doubling to a 5 min cap, forgotten once the last try is more
/// than 10 min old. Crash restarts and image pulls use it differently (`restartDelay`,
/// `pullDelay`), exactly as the kubelet's container manager and image puller do.
struct RestartBackOff: Sendable, Equatable {
    static let initial: TimeInterval = 10
    static let maximum: TimeInterval = 300

    private var current: TimeInterval?
    private var lastUpdate = Date.distantPast

    /// After a container exited at `failedAt`: how long it waits before it is started again.
    /// The first failure (or the first after a long healthy run) restarts at once.
    mutating func restartDelay(after failedAt: Date) -> TimeInterval {
        guard let current, failedAt.timeIntervalSince(lastUpdate) <= 2 * Self.maximum else {
            current = Self.initial
            lastUpdate = failedAt
            return 0
        }
        self.current = min(2 * current, Self.maximum)
        lastUpdate = failedAt.addingTimeInterval(current)
        return current
    }

    /// After a pull failed at `failedAt`: how long until the next pull.
    mutating func pullDelay(after failedAt: Date) -> TimeInterval {
        let next: TimeInterval
        if let current, failedAt.timeIntervalSince(lastUpdate) <= 2 * Self.maximum {
            next = min(2 * current, Self.maximum)
        } else {
            next = Self.initial
        }
        current = next
        lastUpdate = failedAt
        return next
    }
}
