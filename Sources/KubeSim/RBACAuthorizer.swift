import MedicKube
import Synchronization

/// Enforces RBAC for service-account bearer tokens, from the Roles, ClusterRoles and bindings
/// stored in the simulator, so a test can prove that a set of manifests grants exactly what a
/// client needs. Other callers (the admin `bearerToken`, client certificates, plain HTTP) stay
/// unrestricted, like a cluster admin. It also records every decision, so a test can read the
/// permissions a client actually used.
///
/// Evaluated: `rules[].verbs`, `apiGroups`, `resources` (with `*`, `res/sub`, `*/sub`) and
/// `resourceNames`; ClusterRoleBindings at every scope; RoleBindings (to a Role or a
/// ClusterRole) in their namespace; subjects of kind ServiceAccount, User and Group
/// (`system:serviceaccounts`, `system:serviceaccounts:NS`, `system:authenticated`). Not
/// evaluated: `aggregationRule`, `nonResourceURLs` (discovery stays open to every caller, as the
/// `system:discovery` role makes it), impersonation, escalation checks on RBAC writes.
public final class RBACAuthorizer: Sendable {
    /// One authorization decision, in the order the requests arrived.
    public struct Decision: Sendable, Hashable {
        public var request: RBACRequest
        public var allowed: Bool
    }

    private let users: [String: String]
    private let log = Mutex<[Decision]>([])

    /// - Parameter serviceAccountTokens: bearer token → `namespace/name` of the service account
    ///   it authenticates as (`"medic/medic"` → `system:serviceaccount:medic:medic`).
    public init(serviceAccountTokens: [String: String]) {
        var users: [String: String] = [:]
        for (token, account) in serviceAccountTokens {
            let parts = account.split(separator: "/", maxSplits: 1).map(String.init)
            precondition(parts.count == 2, "service account \(account) must be namespace/name")
            users[token] = Self.serviceAccountUser(namespace: parts[0], name: parts[1])
        }
        self.users = users
    }

    public static func serviceAccountUser(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }

    /// Every decision so far.
    public var decisions: [Decision] { log.withLock { $0 } }

    public func clearDecisions() {
        log.withLock { $0.removeAll() }
    }

    /// The user a service-account token authenticates as; nil for any other header.
    func user(authorization: String?) -> String? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        return users[String(authorization.dropFirst("Bearer ".count))]
    }

    /// Throws the apiserver's 403 Forbidden Status when no binding grants the request.
    func authorize(_ request: RBACRequest, in sim: KubeSim) throws(APIError) {
        let allowed = rules(for: request.user, namespace: request.namespace, in: sim).contains { $0.allows(request) }
        log.withLock { $0.append(Decision(request: request, allowed: allowed)) }
        if !allowed { throw request.forbidden }
    }

    /// The rules that apply to `user` for a request in `namespace` (nil: cluster scope).
    func rules(for user: String, namespace: String?, in sim: KubeSim) -> [RBACRule] {
        let groups = Self.groups(of: user)
        var rules: [RBACRule] = []
        for binding in sim.objects(.clusterRoleBinding)
        where Self.binds(binding, user: user, groups: groups, bindingNamespace: nil)
            && binding[path: ["roleRef", "kind"]]?.string == "ClusterRole" {
            rules += Self.rules(of: sim.get(.clusterRole, namespace: "", name: Self.roleName(binding)))
        }
        guard let namespace else { return rules }
        for binding in sim.objects(.roleBinding, namespace: namespace)
        where Self.binds(binding, user: user, groups: groups, bindingNamespace: namespace) {
            switch binding[path: ["roleRef", "kind"]]?.string {
            case "Role": rules += Self.rules(of: sim.get(.role, namespace: namespace, name: Self.roleName(binding)))
            case "ClusterRole": rules += Self.rules(of: sim.get(.clusterRole, namespace: "", name: Self.roleName(binding)))
            default: break
            }
        }
        return rules
    }

    private static func roleName(_ binding: JSON) -> String {
        binding[path: ["roleRef", "name"]]?.string ?? ""
    }

    private static func rules(of role: JSON?) -> [RBACRule] {
        (role?["rules"]?.array ?? []).map(RBACRule.init)
    }

    private static func groups(of user: String) -> Set<String> {
        var groups: Set<String> = ["system:authenticated"]
        let parts = user.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            groups.insert("system:serviceaccounts")
            groups.insert("system:serviceaccounts:\(parts[2])")
        }
        return groups
    }

    /// A ServiceAccount subject without a namespace means the binding's own namespace.
    private static func binds(_ binding: JSON, user: String, groups: Set<String>, bindingNamespace: String?) -> Bool {
        (binding["subjects"]?.array ?? []).contains { subject in
            let name = subject["name"]?.string ?? ""
            switch subject["kind"]?.string {
            case "ServiceAccount":
                let namespace = subject["namespace"]?.string ?? bindingNamespace ?? ""
                return serviceAccountUser(namespace: namespace, name: name) == user
            case "User": return name == user
            case "Group": return groups.contains(name)
            default: return false
            }
        }
    }
}

/// One `PolicyRule` of a Role or ClusterRole.
struct RBACRule: Sendable {
    var verbs: [String]
    var apiGroups: [String]
    var resources: [String]
    var resourceNames: [String]

    init(_ json: JSON) {
        func strings(_ key: String) -> [String] { (json[key]?.array ?? []).compactMap(\.string) }
        verbs = strings("verbs")
        apiGroups = strings("apiGroups")
        resources = strings("resources")
        resourceNames = strings("resourceNames")
    }

    func allows(_ request: RBACRequest) -> Bool {
        guard verbs.contains("*") || verbs.contains(request.verb),
              apiGroups.contains("*") || apiGroups.contains(request.group) else { return false }
        let resourceMatches = resources.contains { rule in
            rule == "*" || rule == request.resourcePath
                || (request.subresource.map { rule == "*/\($0)" } ?? false)
        }
        guard resourceMatches else { return false }
        guard !resourceNames.isEmpty else { return true }
        return request.name.map(resourceNames.contains) ?? false
    }
}
