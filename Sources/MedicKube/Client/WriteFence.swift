/// Asked by a `KubeWriter` before every request it sends. A replica that is no longer sure it
/// leads (another holds the lease, or its renew deadline passed while it was paused) must not
/// change the cluster: its fence refuses, and the write fails with `KubeAPIError.Code.fenced`.
public protocol WriteFence: Sendable {
    func check() async throws(FenceError)
}

/// Why a fence refused a write: what the replica last knew of its lease, and why that is not
/// enough any more.
public struct FenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
