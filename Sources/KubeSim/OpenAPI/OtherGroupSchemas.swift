/// The remaining stored kinds (batch, coordination, rbac, policy, networking, apiextensions): their top-level
/// fields are described, their specs are open objects.
enum OtherGroupSchemas {
    private static func kind(_ type: ResourceType, _ name: String, _ description: String, _ fields: [Field]) -> SchemaDefinition {
        SchemaDefinition(name, description, kind: type, CoreV1Schemas.header() + fields)
    }

    private static func specAndStatus(_ kind: String) -> [Field] {
        [f("spec", .open, "Specification of the desired behavior of the \(kind)."),
         f("status", .open, "Current status of the \(kind). Populated by the system. Read-only.")]
    }

    private static let rbac = "io.k8s.api.rbac.v1."

    static let definitions: [SchemaDefinition] = [
        kind(.job, "io.k8s.api.batch.v1.Job", "Job represents the configuration of a single job.", specAndStatus("Job")),
        kind(.lease, "io.k8s.api.coordination.v1.Lease", "Lease defines a lease concept.",
             [f("spec", .open, "spec contains the specification of the Lease.")]),
        kind(.podDisruptionBudget, "io.k8s.api.policy.v1.PodDisruptionBudget",
             "PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods",
             specAndStatus("PodDisruptionBudget")),
        kind(.networkPolicy, "io.k8s.api.networking.v1.NetworkPolicy",
             "NetworkPolicy describes what network traffic is allowed for a set of Pods",
             [f("spec", .open, "spec represents the specification of the desired behavior for this NetworkPolicy.")]),
        kind(.ingress, "io.k8s.api.networking.v1.Ingress",
             "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.",
             specAndStatus("Ingress")),
        kind(.storageClass, "io.k8s.api.storage.v1.StorageClass", "StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.", [
            f("allowVolumeExpansion", .boolean, "allowVolumeExpansion shows whether the storage class allow volume expand."),
            f("allowedTopologies", .array(.open), "allowedTopologies restrict the node topologies where volumes can be dynamically provisioned."),
            f("mountOptions", .array(.string), "mountOptions controls the mountOptions for dynamically provisioned PersistentVolumes of this storage class."),
            f("parameters", .strings, "parameters holds the parameters for the provisioner that should create volumes of this storage class."),
            f("provisioner", .string, "provisioner indicates the type of the provisioner."),
            f("reclaimPolicy", .string, "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
            f("volumeBindingMode", .string, "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used."),
        ]),
        kind(.customResourceDefinition, "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
             "CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.",
             specAndStatus("CustomResourceDefinition")),
        kind(.role, rbac + "Role", "Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.",
             [f("rules", .list(rbac + "PolicyRule"), "Rules holds all the PolicyRules for this Role")]),
        kind(.clusterRole, rbac + "ClusterRole", "ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.", [
            f("aggregationRule", .open, "AggregationRule is an optional field that describes how to build the Rules for this ClusterRole."),
            f("rules", .list(rbac + "PolicyRule"), "Rules holds all the PolicyRules for this ClusterRole"),
        ]),
        kind(.roleBinding, rbac + "RoleBinding", "RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace.", binding),
        kind(.clusterRoleBinding, rbac + "ClusterRoleBinding", "ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.", binding),
        SchemaDefinition(rbac + "PolicyRule", "PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.", required: ["verbs"], [
            f("apiGroups", .array(.string), "APIGroups is the name of the APIGroup that contains the resources."),
            f("nonResourceURLs", .array(.string), "NonResourceURLs is a set of partial urls that a user should have access to."),
            f("resourceNames", .array(.string), "ResourceNames is an optional white list of names that the rule applies to."),
            f("resources", .array(.string), "Resources is a list of resources this rule applies to. '*' represents all resources."),
            f("verbs", .array(.string), "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."),
        ]),
        SchemaDefinition(rbac + "Subject", "Subject contains a reference to the object or user identities a role binding applies to.", required: ["kind", "name"], [
            f("apiGroup", .string, "APIGroup holds the API group of the referenced subject."),
            f("kind", .string, "Kind of object being referenced. Values defined by this API group are \"User\", \"Group\", and \"ServiceAccount\"."),
            f("name", .string, "Name of the object being referenced."),
            f("namespace", .string, "Namespace of the referenced object."),
        ]),
        SchemaDefinition(rbac + "RoleRef", "RoleRef contains information that points to the role being used", required: ["apiGroup", "kind", "name"], [
            f("apiGroup", .string, "APIGroup is the group for the resource being referenced"),
            f("kind", .string, "Kind is the type of resource being referenced"),
            f("name", .string, "Name is the name of resource being referenced"),
        ]),
    ]

    private static let binding: [Field] = [
        f("roleRef", .ref(rbac + "RoleRef"), "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."),
        f("subjects", .list(rbac + "Subject"), "Subjects holds references to the objects the role applies to."),
    ]
}
