import MedicKube
import Synchronization

/// Which read warnings a pass logs: a kind of problem when it first appears, then again once
/// every interval while it lasts. Passes woken by changes come every fraction of a second on
/// a busy cluster, and 445 pods whose previous logs are gone are one problem, not a line each
/// pass. A kind that a pass no longer reports is forgotten, so its return is logged at once.
final class WarningThrottle: Sendable {
    private let every: Duration
    /// When each kind (`Warnings.kind(of:)`) was last logged.
    private let logged = Mutex<[String: ContinuousClock.Instant]>([:])

    init(every: Duration) {
        self.every = every
    }

    /// The warnings of a pass at `now` that are to be logged.
    func toLog(_ warnings: [String], at now: ContinuousClock.Instant) -> [String] {
        logged.withLock { logged in
            let kinds = warnings.map(Warnings.kind(of:))
            let current = Set(kinds)
            logged = logged.filter { current.contains($0.key) }
            return zip(warnings, kinds).compactMap { warning, kind in
                if let last = logged[kind], now - last < every { return nil }
                logged[kind] = now
                return warning
            }
        }
    }
}
