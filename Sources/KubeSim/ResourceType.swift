import MedicKube
/// One REST resource the simulator serves. The built-in table (`all`) is closed on purpose:
/// KubeSim answers discovery from it, so kubectl only ever sees resources that really behave.
/// Custom resources join it while their CustomResourceDefinition is established
/// (`ResourceCatalog`). Two values name the same resource when group, version and plural
/// match, so a CRD's update (new columns, new schema) keeps its objects.
public struct ResourceType: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural, lower-case REST name (`deployments`).
    public var plural: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Subresources beyond the object itself (`status`, `scale`, `log`).
    public var subresources: [String]
    /// What discovery says the resource supports.
    public var verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    /// What the CustomResourceDefinition says about a custom resource; nil for built-ins.
    public var custom: CustomResource?

    public static func == (lhs: ResourceType, rhs: ResourceType) -> Bool {
        lhs.group == rhs.group && lhs.version == rhs.version && lhs.plural == rhs.plural
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(group)
        hasher.combine(version)
        hasher.combine(plural)
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `deployments.apps`, `pods`: how Status messages name the resource.
    public var groupResource: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// `Deployment.apps`, `Pod`: how Invalid messages name the kind.
    public var groupKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
    public var listKind: String { kind + "List" }
    /// The path prefix of this resource's group-version (`/api/v1`, `/apis/apps/v1`).
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    public static let namespace = ResourceType(
        group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace",
        namespaced: false, shortNames: ["ns"], categories: [], subresources: ["status"])
    public static let pod = ResourceType(
        group: "", version: "v1", kind: "Pod", plural: "pods", singular: "pod",
        namespaced: true, shortNames: ["po"], categories: ["all"], subresources: ["log", "status"])
    public static let service = ResourceType(
        group: "", version: "v1", kind: "Service", plural: "services", singular: "service",
        namespaced: true, shortNames: ["svc"], categories: ["all"], subresources: ["status"])
    public static let endpoints = ResourceType(
        group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints",
        namespaced: true, shortNames: ["ep"], categories: [], subresources: [])
    public static let event = ResourceType(
        group: "", version: "v1", kind: "Event", plural: "events", singular: "event",
        namespaced: true, shortNames: ["ev"], categories: [], subresources: [])
    public static let configMap = ResourceType(
        group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap",
        namespaced: true, shortNames: ["cm"], categories: [], subresources: [])
    public static let secret = ResourceType(
        group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret",
        namespaced: true, shortNames: [], categories: [], subresources: [])
    public static let node = ResourceType(
        group: "", version: "v1", kind: "Node", plural: "nodes", singular: "node",
        namespaced: false, shortNames: ["no"], categories: [], subresources: ["status"])
    public static let resourceQuota = ResourceType(
        group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", singular: "resourcequota",
        namespaced: true, shortNames: ["quota"], categories: [], subresources: ["status"])
    public static let deployment = ResourceType(
        group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment",
        namespaced: true, shortNames: ["deploy"], categories: ["all"], subresources: ["scale", "status"])
    public static let replicaSet = ResourceType(
        group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", singular: "replicaset",
        namespaced: true, shortNames: ["rs"], categories: ["all"], subresources: ["scale", "status"])
    public static let statefulSet = ResourceType(
        group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", singular: "statefulset",
        namespaced: true, shortNames: ["sts"], categories: ["all"], subresources: ["scale", "status"])
    public static let daemonSet = ResourceType(
        group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", singular: "daemonset",
        namespaced: true, shortNames: ["ds"], categories: ["all"], subresources: ["status"])
    public static let job = ResourceType(
        group: "batch", version: "v1", kind: "Job", plural: "jobs", singular: "job",
        namespaced: true, shortNames: [], categories: ["all"], subresources: ["status"])
    public static let lease = ResourceType(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", singular: "lease",
        namespaced: true, shortNames: [], categories: [], subresources: [])

    /// Stored only (no controller), so an install's manifests can be applied as a whole.
    public static let serviceAccount = ResourceType(
        group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount",
        namespaced: true, shortNames: ["sa"], categories: [], subresources: [])
    public static let podDisruptionBudget = ResourceType(
        group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"], categories: [], subresources: ["status"])
    public static let networkPolicy = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies",
        singular: "networkpolicy", namespaced: true, shortNames: ["netpol"], categories: [], subresources: [])
    public static let ingress = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses",
        singular: "ingress", namespaced: true, shortNames: ["ing"], categories: [], subresources: ["status"])

    public static let all: [ResourceType] = [
        .namespace, .node, .pod, .service, .endpoints, .event, .configMap, .secret, .serviceAccount, .resourceQuota,
        .persistentVolumeClaim, .persistentVolume,
        .deployment, .replicaSet, .statefulSet, .daemonSet, .job, .lease,
        .role, .clusterRole, .roleBinding, .clusterRoleBinding, .podDisruptionBudget, .networkPolicy, .ingress, .storageClass,
        .customResourceDefinition, .selfSubjectAccessReview, .selfSubjectRulesReview, .podMetrics, .nodeMetrics,
    ]
}
