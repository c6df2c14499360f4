import Hummingbird
import HummingbirdCore

/// A resource request after routing: which resource, where, and the query that shapes it.
struct ResourceRequest: Sendable {
    var type: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?
    var query: Query
    var accept: String

    /// kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io` when it prints columns.
    var wantsTable: Bool { accept.contains("as=Table") }
}

/// Decoded query parameters, with the apiserver's readings of the common ones.
struct Query: Sendable {
    private var values: [String: String]

    init(_ uri: URI) {
        var values: [String: String] = [:]
        for (key, value) in uri.queryParameters {
            values[String(key)] = String(value)
        }
        self.values = values
    }

    subscript(key: String) -> String? { values[key] }

    /// `watch=true`, `watch=1`, `previous=true`, …
    func flag(_ key: String) -> Bool {
        guard let value = values[key] else { return false }
        return value == "true" || value == "1"
    }

    var dryRun: Bool { values["dryRun"] == "All" }

    func selectors() throws(APIError) -> (labels: LabelSelector, fields: FieldSelector) {
        let labels = try values["labelSelector"].map { text throws(APIError) in try LabelSelector(parsing: text) } ?? .everything
        let fields = try values["fieldSelector"].map { text throws(APIError) in try FieldSelector(parsing: text) } ?? .everything
        return (labels, fields)
    }
}
