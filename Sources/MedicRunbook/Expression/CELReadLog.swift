/// Whether evaluations looked one binding up. The diagnosis watches `now`: a target whose
/// runbooks never read the clock (a healthy workload's `issues.exists(…)` never reaches its
/// `now - i.since`) gives the same results until something it was evaluated on changes, so
/// the periodic sweep need not evaluate it again.
///
/// A reference type shared by the evaluations of one target, each on one thread; not Sendable.
public final class CELReadLog {
    public let name: String
    public private(set) var wasRead = false

    public init(watching name: String) {
        self.name = name
    }

    func note(_ looked: String) {
        if !wasRead, looked == name { wasRead = true }
    }

    /// The watched value was read outside CEL (a metric window ends at `now`).
    public func markRead() {
        wasRead = true
    }
}
