import Foundation
import MedicKube

/// A dependency that turns its callers away: a crashed caller's last words name the Service in
/// front of it and say their credentials were refused (`not authorized on geo-db to execute
/// command`, `password authentication failed for user "orders"`, `WRONGPASS`, `NOAUTH`). The
/// fault is in the dependency (a revoked role, a changed password, a deleted user), so
/// restarting or rolling back the callers changes nothing. The refused Service is the one the
/// refusing line names, else the last one named before it (the connection being attempted).
public struct CallerRejection: Sendable, Equatable {
    public var caller: ObjectRef
    public var container: String
    public var service: String
    /// `authentication` (who you are was refused) or `authorization` (what you may do).
    public var refused: String
    /// The line that says it, at most 300 characters.
    public var line: String

    /// Lowercased phrases of database, cache and broker clients, and what each refuses.
    static let phrases: [(text: String, refused: String)] = [
        ("not authorized on", "authorization"), ("not authorized to", "authorization"),
        ("requires authentication", "authentication"), ("authentication failed", "authentication"),
        ("password authentication failed", "authentication"), ("access denied for user", "authentication"),
        ("login failed for user", "authentication"), ("wrongpass", "authentication"), ("noauth", "authentication"),
        ("invalid username-password pair", "authentication"), ("sasl authentication", "authentication"),
        ("permission denied for", "authorization"), ("noperm", "authorization"),
        ("insufficient privileges", "authorization"), ("access_refused", "authentication"),
    ]

    /// The rejections the callers of `workload` report, from their last words about its Services.
    static func of(_ workload: Workload, in cluster: ClusterView) -> [CallerRejection] {
        let own = Set(cluster.services(selecting: workload).map(\.metadata.name))
        var seen = Set<String>()
        return cluster.lastWords(about: workload).compactMap { words in
            guard let rejection = rejection(in: words.text, namespace: workload.namespace), own.contains(rejection.service),
                  seen.insert("\(words.caller)/\(words.container)").inserted else { return nil }
            return CallerRejection(caller: words.caller, container: words.container, service: rejection.service,
                                   refused: rejection.refused, line: rejection.line)
        }
    }

    /// The first refusing line of `text` and the Service it is about.
    static func rejection(in text: String, namespace: String) -> (service: String, refused: String, line: String)? {
        var lastNamed: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let named = CallerLastWords.hosts(in: String(line), namespace: namespace).sorted().first
            let lower = line.lowercased()
            if let phrase = phrases.first(where: { lower.contains($0.text) }), let service = named ?? lastNamed {
                return (service, phrase.refused, String(line.trimmingCharacters(in: .whitespaces).prefix(300)))
            }
            if let named { lastNamed = named }
        }
        return nil
    }
}
