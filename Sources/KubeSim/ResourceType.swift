import MedicKube
/// One REST resource the simulator serves. The table is closed on purpose: KubeSim answers
/// discovery from it, so kubectl only ever sees resources that really behave.
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

    public static let all: [ResourceType] = [
        .namespace, .node, .pod, .service, .endpoints, .event, .configMap, .secret, .serviceAccount, .resourceQuota,
        .persistentVolumeClaim, .persistentVolume,
        .deployment, .replicaSet, .statefulSet, .daemonSet, .job, .lease,
        .role, .clusterRole, .roleBinding, .clusterRoleBinding, .podDisruptionBudget, .networkPolicy, .storageClass,
        .selfSubjectAccessReview, .selfSubjectRulesReview, .podMetrics, .nodeMetrics,
    ]

    /// Groups in the order discovery lists them; the core group ("") comes first.
    static var groups: [String] {
        var seen: [String] = []
        for type in all where !seen.contains(type.group) { seen.append(type.group) }
        return seen
    }

    /// Finds a type by kind (`Deployment`), plural (`deployments`), singular or short name.
    public static func named(_ name: String) -> ResourceType? {
        let lowered = name.lowercased()
        return all.first { $0.kind == name }
            ?? all.first { $0.plural == lowered || $0.singular == lowered || $0.shortNames.contains(lowered) }
    }

    static func forObject(_ object: JSON) -> ResourceType? {
        guard let kind = object["kind"]?.string else { return nil }
        let apiVersion = object["apiVersion"]?.string
        return all.first { $0.kind == kind && (apiVersion == nil || $0.apiVersion == apiVersion) }
            ?? all.first { $0.kind == kind }
    }

    static func at(groupVersionPath: String, plural: String) -> ResourceType? {
        all.first { $0.groupVersionPath == groupVersionPath && $0.plural == plural }
    }
}
