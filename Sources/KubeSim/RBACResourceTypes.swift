/// The `rbac.authorization.k8s.io/v1` kinds. They are stored like any other object; the
/// `RBACAuthorizer` reads them to decide what a service-account token may do.
extension ResourceType {
    public static let role = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", singular: "role",
        namespaced: true, shortNames: [], categories: [], subresources: [])
    public static let clusterRole = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
        singular: "clusterrole", namespaced: false, shortNames: [], categories: [], subresources: [])
    public static let roleBinding = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings",
        singular: "rolebinding", namespaced: true, shortNames: [], categories: [], subresources: [])
    public static let clusterRoleBinding = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings",
        singular: "clusterrolebinding", namespaced: false, shortNames: [], categories: [], subresources: [])
}
