import Foundation

/// One API call as the reader and writer describe it: what it is for (verb, resource, object,
/// for error messages) and what goes on the wire.
struct KubeRequest: Sendable {
    var verb: String
    var resource: KubeResource
    var namespace: String?
    var name: String?
    var subresource: String?
    var method = "GET"
    var query: [(String, String)] = []
    var body: Data?
    var contentType: String?
    var accept = "application/json"
    /// Bound on the whole request; nil uses the reader's or writer's timeout (for a watch: none).
    var timeout: Duration?
    /// A path given whole (an action's rendered request) instead of built from the resource;
    /// `resource`, `namespace` and `name` then only name the object in error messages.
    var rawPath: String?

    /// Path and query, with query values percent-encoded (continue tokens are opaque base64).
    var pathAndQuery: String {
        let path = rawPath ?? resource.path(namespace: namespace, name: name, subresource: subresource)
        guard !query.isEmpty else { return path }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?/:#"))
        let items = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }
        return path + "?" + items.joined(separator: "&")
    }
}
