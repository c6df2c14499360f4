/// Which Lease replicas compete for and how fast they move: client-go's settings, with its
/// defaults (15 s / 10 s / 2 s). A follower takes over at most `leaseDuration` (plus one
/// retry) after the leader stopped renewing; a leader that cannot renew for `renewDeadline`
/// steps down before anyone else may take over.
public struct LeaderElectionConfiguration: Sendable, Hashable {
    public var leaseName: String
    public var namespace: String
    /// Unique per replica: the pod name (hostname) in a cluster.
    public var identity: String
    /// Written to the Lease as whole seconds (rounded up, at least 1).
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration
    /// Give the lease up on graceful shutdown, so another replica takes over at once instead
    /// of after `leaseDuration`. client-go's `ReleaseOnCancel`.
    public var releaseOnShutdown: Bool

    public init(
        leaseName: String = "medic", namespace: String, identity: String,
        leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2), releaseOnShutdown: Bool = true
    ) {
        self.leaseName = leaseName
        self.namespace = namespace
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnShutdown = releaseOnShutdown
    }

    /// `leaseDurationSeconds` as written to the Lease.
    public var leaseDurationSeconds: Int {
        let (seconds, attoseconds) = leaseDuration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    /// client-go's rule: leaseDuration > renewDeadline > 1.2 × retryPeriod, a non-empty
    /// identity. The message names the setting to change.
    public func validate() throws(LeaderElectionError) {
        guard !identity.isEmpty else {
            throw LeaderElectionError(description: "the leader election identity is empty; pass --identity or set HOSTNAME")
        }
        guard !leaseName.isEmpty, !namespace.isEmpty else {
            throw LeaderElectionError(description: "the lease needs a name and a namespace")
        }
        guard leaseDuration > renewDeadline else {
            throw LeaderElectionError(description: "the lease duration (\(leaseDuration)) must be longer than the renew deadline (\(renewDeadline))")
        }
        guard renewDeadline > retryPeriod * 1.2 else {
            throw LeaderElectionError(description: "the renew deadline (\(renewDeadline)) must be longer than 1.2 × the retry period (\(retryPeriod))")
        }
    }
}
