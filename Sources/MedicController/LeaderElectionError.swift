/// A leader election setting that cannot work.
public struct LeaderElectionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
