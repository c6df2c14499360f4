/// What `/readyz` answers from. A replica is ready once its configuration is loaded and it
/// either follows (another replica acts) or has read the cluster at least once: a leader
/// that cannot see the cluster should not look healthy to a rollout. Nor should one whose
/// last pass could not write its state (the audit log, or a Remediation object).
public actor HealthState {
    public private(set) var configurationLoaded = false
    public private(set) var isLeader = false
    public private(set) var observedOnce = false
    public private(set) var stateError: String?

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

    /// The last pass's state write failure, or nil when it wrote all it had to.
    public func stateWrite(failed error: String?) {
        stateError = error
    }

    /// nil when ready, else why not, for the `/readyz` body.
    public var notReadyReason: String? {
        if !configurationLoaded { return "configuration not loaded" }
        if isLeader, !observedOnce { return "leading, but no observation of the cluster has succeeded yet" }
        if let stateError { return "medic's state cannot be written (\(stateError)); it acts on nothing it cannot record" }
        return nil
    }
}
