/// What `/readyz` answers from. A replica is ready once its configuration is loaded and it
/// either follows (another replica acts) or has read the cluster at least once: a leader
/// that cannot see the cluster should not look healthy to a rollout.
public actor HealthState {
    public private(set) var configurationLoaded = false
    public private(set) var isLeader = false
    public private(set) var observedOnce = false

    public init() {}

    public func configurationDidLoad() {
        configurationLoaded = true
    }

    public func leadershipDidChange(_ isLeader: Bool) {
        self.isLeader = isLeader
    }

    public func observationDidSucceed() {
        observedOnce = true
    }

    /// nil when ready, else why not, for the `/readyz` body.
    public var notReadyReason: String? {
        if !configurationLoaded { return "configuration not loaded" }
        if isLeader, !observedOnce { return "leading, but no observation of the cluster has succeeded yet" }
        return nil
    }
}
