/// How often the loop runs.
public struct ControllerConfiguration: Sendable, Hashable {
    /// From the start of one pass to the start of the next. A pass that takes longer is
    /// followed by the next one at once, never by two.
    public var interval: Duration
    /// How often a follower checks whether it has become the leader.
    public var followerPollInterval: Duration
    /// How long after a change to the watched cluster the pass starts: changes that come
    /// together (a rollout's pods, a burst of Events) are diagnosed by one pass.
    public var changeSettle: Duration

    public init(interval: Duration = .seconds(30), followerPollInterval: Duration = .seconds(1),
                changeSettle: Duration = .milliseconds(200)) {
        self.interval = interval
        self.followerPollInterval = followerPollInterval
        self.changeSettle = changeSettle
    }
}
