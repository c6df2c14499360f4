import Foundation
import KubeSim
import MedicHTTP
import Testing

/// KubeSim's RBAC on its own: the rule and binding semantics the install tests rely on.
@Suite("KubeSim RBAC")
struct RBACAuthorizerTests {
    static let token = "sa-token"
    static let roles = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-reader}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [get, list]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: read-pods, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
        subjects:
        - {kind: ServiceAccount, name: medic, namespace: medic}
        - {kind: ServiceAccount, name: medic}      # no namespace: the binding's, shop:medic
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: one-lease, namespace: medic}
        rules:
        - {apiGroups: [coordination.k8s.io], resources: [leases], resourceNames: [medic], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: one-lease, namespace: medic}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-lease}
        subjects:
        - {kind: Group, name: "system:serviceaccounts:medic"}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: scaler}
        rules:
        - {apiGroups: [apps], resources: ["*/scale"], verbs: [patch]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: scaler}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: scaler}
        subjects:
        - {kind: User, name: "system:serviceaccount:medic:medic"}
        """

    /// (method, path) → (HTTP status, Status message or "").
    static let cases: [(String, String, Int, String)] = [
        ("GET", "/api/v1/namespaces/shop/pods", 200, ""),
        ("GET", "/api/v1/pods", 403,
         #"pods is forbidden: User "system:serviceaccount:medic:medic" cannot list resource "pods" in API group "" at the cluster scope"#),
        ("GET", "/api/v1/namespaces/shop/pods?watch=true&timeoutSeconds=1", 403,
         #"pods is forbidden: User "system:serviceaccount:medic:medic" cannot watch resource "pods" in API group "" in the namespace "shop""#),
        ("GET", "/api/v1/namespaces/shop/pods/web/log", 403,
         #"pods "web" is forbidden: User "system:serviceaccount:medic:medic" cannot get resource "pods/log" in API group "" in the namespace "shop""#),
        ("GET", "/apis/coordination.k8s.io/v1/namespaces/medic/leases/medic", 404, #"leases.coordination.k8s.io "medic" not found"#),
        ("GET", "/apis/coordination.k8s.io/v1/namespaces/medic/leases/other", 403,
         #"leases.coordination.k8s.io "other" is forbidden: User "system:serviceaccount:medic:medic" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "medic""#),
        ("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web/scale", 404, #"deployments.apps "web" not found"#),
        ("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", 403,
         #"deployments.apps "web" is forbidden: User "system:serviceaccount:medic:medic" cannot patch resource "deployments" in API group "apps" in the namespace "shop""#),
        ("GET", "/apis/apps/v1", 200, ""),
    ]

    @Test("rules, bindings and the apiserver's Forbidden messages")
    func decisions() async throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.roles + "\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
        let authorizer = RBACAuthorizer(serviceAccountTokens: [Self.token: "medic/medic"])
        let server = try await sim.start(ServerOptions(rbac: authorizer))
        let client = HTTPClient()
        var seen: [String] = []
        for (method, path, status, message) in Self.cases {
            let response: HTTPResponse
            do {
                response = try await client.send(HTTPRequest(
                    method: method, url: server.baseURL + path, headers: [
                        "Authorization": "Bearer \(Self.token)", "Content-Type": "application/merge-patch+json",
                    ], body: method == "PATCH" ? Data("{}".utf8) : nil))
            } catch {
                await server.stop()
                throw error
            }
            let body = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
            #expect(response.status == status, "\(method) \(path)")
            #expect(body?["kind"] as? String == "Status" ? body?["message"] as? String == message : message.isEmpty,
                    "\(method) \(path): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            seen.append("\(method) \(path)")
        }
        // Without the token the caller is unrestricted (no admin token configured here).
        let anonymous = try await client.send(HTTPRequest(url: server.baseURL + "/api/v1/pods"))
        await server.stop()
        #expect(anonymous.status == 200)
        #expect(authorizer.decisions.map { "\($0.request) \($0.allowed ? "allowed" : "denied")" } == [
            #"list pods (group "") allowed"#, #"list pods (group "") denied"#, #"watch pods (group "") denied"#,
            #"get pods/log (group "") denied"#, #"get leases (group "coordination.k8s.io") allowed"#,
            #"get leases (group "coordination.k8s.io") denied"#, #"patch deployments/scale (group "apps") allowed"#,
            #"patch deployments (group "apps") denied"#,
        ])
        #expect(seen.count == Self.cases.count)
    }
}
