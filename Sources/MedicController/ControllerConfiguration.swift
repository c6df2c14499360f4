/// How often the loop runs.
public struct ControllerConfiguration: Sendable, Hashable {
    /// From the start of one pass to the start of the next. A pass that takes longer is
    /// followed by the next one at once, never by two.
    public var interval: Duration
    /// How often a follower checks whether it has become the leader.
    public var followerPollInterval: Duration

    public init(interval: Duration = .seconds(30), followerPollInterval: Duration = .seconds(1)) {
        self.interval = interval
        self.followerPollInterval = followerPollInterval
    }
}
