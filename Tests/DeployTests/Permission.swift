import KubeSim

/// One RBAC permission as a rule expands to it: a verb on a resource (`pods/log`) of a group.
struct Permission: Hashable, Comparable, CustomStringConvertible {
    var verb: String
    var group: String
    var resource: String

    var description: String { "\(verb) \(group.isEmpty ? "" : group + "/")\(resource)" }

    static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.description < rhs.description }

    init(_ verb: String, _ group: String, _ resource: String) {
        self.verb = verb
        self.group = group
        self.resource = resource
    }

    init(_ request: RBACRequest) {
        self.init(request.verb, request.group, request.resourcePath)
    }

    /// The permission an API request needs, from its method and path
    /// (`/apis/apps/v1/namespaces/NS/deployments/NAME/scale`).
    init(method: String, path: String) throws {
        var segments = path.split(separator: "/").map(String.init)
        let group: String
        switch segments.first {
        case "api": group = ""; segments.removeFirst(2)
        case "apis": group = segments[1]; segments.removeFirst(3)
        default: throw TestFailure("not an API path: \(path)")
        }
        if segments.first == "namespaces", segments.count >= 3 { segments.removeFirst(2) }
        guard let resource = segments.first else { throw TestFailure("no resource in \(path)") }
        let hasName = segments.count >= 2
        let subresource = segments.count >= 3 ? "/" + segments[2] : ""
        let verb: String
        switch method {
        case "GET": verb = hasName ? "get" : "list"
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = hasName ? "delete" : "deletecollection"
        default: throw TestFailure("unknown method \(method)")
        }
        self.init(verb, group, resource + subresource)
    }

    /// Every permission a Role or ClusterRole grants, rule by rule (resourceNames narrow a
    /// rule but do not change which permission it is).
    static func granted(by role: [String: Any]) -> Set<Permission> {
        var granted: Set<Permission> = []
        for rule in role["rules"] as? [[String: Any]] ?? [] {
            for verb in Manifest.strings(rule["verbs"]) {
                for group in Manifest.strings(rule["apiGroups"]) {
                    for resource in Manifest.strings(rule["resources"]) {
                        granted.insert(Permission(verb, group, resource))
                    }
                }
            }
        }
        return granted
    }
}
