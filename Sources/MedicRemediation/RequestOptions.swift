import Foundation

/// How to build an action's API request. Grouped in one value so that callers (advise,
/// dry-run, apply, tests) say what they want by name rather than by position.
public struct RequestOptions: Sendable {
    /// Adds `dryRun=All`: the server checks and answers but changes nothing.
    public var dryRun: Bool
    /// The instant `rollout-restart` stamps into `kubectl.kubernetes.io/restartedAt`.
    public var now: Date
    /// kubectl writes that stamp in the client's local zone; tests pin it.
    public var timeZone: TimeZone

    public init(dryRun: Bool = false, now: Date = Date(), timeZone: TimeZone = .current) {
        self.dryRun = dryRun
        self.now = now
        self.timeZone = timeZone
    }

    /// The query kubectl sends with a field manager, plus `dryRun=All` when asked.
    func query(fieldManager: String?) -> [String: String] {
        var query: [String: String] = [:]
        if let fieldManager { query["fieldManager"] = fieldManager }
        if dryRun { query["dryRun"] = "All" }
        return query
    }
}
