import MedicKube

/// What a pass's writes must pass when replicas elect a leader: the elector that started the
/// pass and the leadership term it started in. A value handed down with the pass (into its
/// `KubeWriter`s and audit appends), so nothing global decides whether a write may go.
public struct LeaseFence: WriteFence {
    let elector: LeaderElector
    /// Which acquisition of the lease the pass began under: a replica that lost the lease and
    /// won it back does not finish a pass from before.
    public let term: Int

    public func check() async throws(FenceError) {
        try await elector.confirm(term: term)
    }
}
