import Foundation

/// The one HTTP request that has the same effect as an action's kubectl command, so medic
/// can execute (or server-side dry-run) what it shows the human.
public struct APIRequest: Sendable, Equatable {
    public var method: String
    /// Percent-encoded path, e.g. `/apis/apps/v1/namespaces/production/deployments/auth-service`.
    public var path: String
    /// e.g. `fieldManager=kubectl-set`, `dryRun=All`; empty when kubectl sends none.
    public var query: [String: String]
    /// Empty when kubectl sends no body (and so no Content-Type).
    public var contentType: String
    public var body: Data?

    public init(method: String, path: String, query: [String: String], contentType: String, body: Data?) {
        self.method = method
        self.path = path
        self.query = query
        self.contentType = contentType
        self.body = body
    }

    /// The query as kubectl writes it: keys sorted, values percent-encoded.
    public var queryString: String {
        query.keys.sorted().map { key in
            "\(key)=\(Self.percentEncoded(query[key] ?? "", keeping: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))))"
        }.joined(separator: "&")
    }

    /// Path and query together, ready to append to the server's base URL.
    public var pathAndQuery: String {
        query.isEmpty ? path : "\(path)?\(queryString)"
    }

    static func percentEncoded(_ segment: String, keeping allowed: CharacterSet) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}
