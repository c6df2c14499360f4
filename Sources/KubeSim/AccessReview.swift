import MedicKube

/// `authorization.k8s.io/v1` SelfSubjectAccessReview and SelfSubjectRulesReview, answered
/// from KubeSim's RBAC, so `kubectl auth can-i` (and `--list`) tell the truth. Every
/// authenticated caller may create them, as `system:basic-user` allows on a real cluster. A
/// caller RBAC does not judge (an admin token or certificate, or a server without RBAC) may
/// do anything.
enum AccessReview {
    /// The review for `body`, with its `status` filled.
    static func review(_ type: ResourceType, body: JSON, user: String?, authorizer: RBACAuthorizer?,
                       sim: KubeSim) throws(APIError) -> JSON {
        guard body["spec"]?.object != nil else { throw APIError.badRequest("the review has no spec") }
        var review = body
        review["kind"] = .string(type.kind)
        review["apiVersion"] = .string(type.apiVersion)
        if review["metadata"]?.object == nil { review["metadata"] = ["creationTimestamp": nil] }
        switch type {
        case .selfSubjectAccessReview:
            review["status"] = accessStatus(spec: body["spec"] ?? [:], user: user, authorizer: authorizer, sim: sim)
        default:
            review["status"] = rulesStatus(namespace: body[path: ["spec", "namespace"]]?.string, user: user,
                                           authorizer: authorizer, sim: sim)
        }
        return review
    }

    private static func accessStatus(spec: JSON, user: String?, authorizer: RBACAuthorizer?, sim: KubeSim) -> JSON {
        guard let user, let authorizer else { return ["allowed": true] }
        guard let attributes = spec["resourceAttributes"] else {
            // Non-resource URLs (`can-i get /healthz`): KubeSim binds none.
            return ["allowed": false]
        }
        func text(_ key: String) -> String? { attributes[key]?.string.flatMap { $0.isEmpty ? nil : $0 } }
        let request = RBACRequest(user: user, verb: text("verb") ?? "", group: text("group") ?? "",
                                  resource: text("resource") ?? "", subresource: text("subresource"),
                                  namespace: text("namespace"), name: text("name"))
        let allowed = authorizer.rules(for: user, namespace: request.namespace, in: sim).contains { $0.allows(request) }
        return allowed ? ["allowed": true, "reason": "RBAC: allowed by KubeSim's bindings"] : ["allowed": false]
    }

    private static func rulesStatus(namespace: String?, user: String?, authorizer: RBACAuthorizer?, sim: KubeSim) -> JSON {
        let everything: JSON = ["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]
        guard let user, let authorizer else {
            return ["resourceRules": [everything], "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
                    "incomplete": false]
        }
        // What system:basic-user grants every authenticated user, then the caller's own rules.
        var rules: [JSON] = [
            ["verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
             "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]],
        ]
        for rule in authorizer.rules(for: user, namespace: namespace, in: sim) {
            var entry: JSON = ["verbs": .array(rule.verbs.map(JSON.string)), "apiGroups": .array(rule.apiGroups.map(JSON.string)),
                               "resources": .array(rule.resources.map(JSON.string))]
            if !rule.resourceNames.isEmpty { entry["resourceNames"] = .array(rule.resourceNames.map(JSON.string)) }
            rules.append(entry)
        }
        return ["resourceRules": .array(rules), "nonResourceRules": [], "incomplete": false]
    }
}

extension ResourceType {
    public static let selfSubjectAccessReview = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview",
        plural: "selfsubjectaccessreviews", singular: "selfsubjectaccessreview", namespaced: false, shortNames: [],
        categories: [], subresources: [], verbs: ["create"])
    public static let selfSubjectRulesReview = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview",
        plural: "selfsubjectrulesreviews", singular: "selfsubjectrulesreview", namespaced: false, shortNames: [],
        categories: [], subresources: [], verbs: ["create"])

    /// Kinds that are computed per request, never stored.
    var isVirtual: Bool { group == "authorization.k8s.io" || group == "metrics.k8s.io" }
}
