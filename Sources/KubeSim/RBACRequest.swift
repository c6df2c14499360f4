import Hummingbird

/// What RBAC judges about one resource request, with the apiserver's verb mapping: GET of a
/// collection is `list` (`watch` with `watch=true` or the `/watch/` prefix), GET of an
/// object `get`, POST `create`, PUT `update`, PATCH `patch`, DELETE `delete` (or
/// `deletecollection` without a name).
public struct RBACRequest: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var verb: String
    /// `""` for the core group.
    public var group: String
    /// The plural: `pods`.
    public var resource: String
    /// `log`, `scale`, `status`, or nil.
    public var subresource: String?
    /// nil for cluster-scoped objects and all-namespace collections.
    public var namespace: String?
    public var name: String?

    public init(user: String, verb: String, group: String, resource: String, subresource: String? = nil,
                namespace: String? = nil, name: String? = nil) {
        self.user = user
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    init(user: String, method: HTTPRequest.Method, target: ResourceRequest, legacyWatch: Bool) {
        let verb: String
        switch method {
        case .get, .head:
            if legacyWatch || target.query.flag("watch") {
                verb = "watch"
            } else {
                verb = target.name == nil ? "list" : "get"
            }
        case .post: verb = "create"
        case .put: verb = "update"
        case .patch: verb = "patch"
        case .delete: verb = target.name == nil ? "deletecollection" : "delete"
        default: verb = method.rawValue.lowercased()
        }
        self.init(user: user, verb: verb, group: target.type.group, resource: target.type.plural,
                  subresource: target.subresource, namespace: target.namespace, name: target.name)
    }

    /// `pods/log`: how RBAC rules and the Forbidden message name a subresource.
    public var resourcePath: String { subresource.map { "\(resource)/\($0)" } ?? resource }

    /// The apiserver's Forbidden message, word for word.
    public var forbiddenMessage: String {
        let groupResource = group.isEmpty ? resource : "\(resource).\(group)"
        let subject = name.map { "\(groupResource) \"\($0)\"" } ?? groupResource
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        return "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resourcePath)\" "
            + "in API group \"\(group)\" \(scope)"
    }

    public var description: String { "\(verb) \(resourcePath) (group \"\(group)\")" }

    var forbidden: APIError {
        APIError(code: 403, reason: "Forbidden", message: forbiddenMessage, name: name,
                 group: group.isEmpty ? nil : group, kind: resource)
    }
}
