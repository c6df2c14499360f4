/// The previous logs of crashed containers, kept between passes of `medic run`: a container's
/// previous log only changes when it crashes again, so it is fetched once per crash (keyed by
/// pod uid, container and restart count) instead of on every pass. Only the crashes of the
/// latest read are kept, so the cache never outgrows the cluster's crash-looping containers.
public actor CrashLogCache {
    struct Key: Hashable, Sendable {
        var namespace: String
        var pod: String
        var uid: String
        var container: String
        var restartCount: Int
    }

    /// A log, or why it could not be had, said once when fetched: a pass repeats the warning
    /// for every cached failure, hundreds on a large cluster, without describing each again.
    typealias Entry = Result<PodLog, Failed>

    struct Failed: Error, Sendable {
        var warning: String
        /// `Warnings.kind(of: warning)`, worked out once: every read groups every cached failure.
        var kind: String

        init(warning: String) {
            self.warning = warning
            kind = Warnings.kind(of: warning)
        }
    }

    private var entries: [Key: Entry] = [:]
    /// The keys of the latest read and what it gave: while no container crashes again, starts
    /// or stops crash-looping, a read gives the same, and is not assembled again each pass from
    /// hundreds of entries.
    private var latest: (keys: [Key], read: Read)?

    /// A read's logs, in order, and its warnings, one line per kind of failure.
    typealias Read = (logs: [PodLog], warnings: [String])

    public init() {}

    /// Entries held now (for tests and metrics).
    public var count: Int { entries.count }

    /// Those of `keys` held, in one call: a pass asks for every crash-looping container.
    func cached(_ keys: [Key]) -> [Key: Entry] {
        var found: [Key: Entry] = [:]
        for key in keys {
            found[key] = entries[key]
        }
        return found
    }

    /// What the latest read gave, when it asked for exactly `keys`, in the same order.
    func latestRead(of keys: [Key]) -> Read? {
        latest.flatMap { $0.keys == keys ? $0.read : nil }
    }

    /// Keeps exactly `results`: what the latest read found, fetched or reused, for `keys`.
    func replace(with results: [Key: Entry], keys: [Key], read: Read) {
        entries = results
        latest = (keys, read)
    }
}
