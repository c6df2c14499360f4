import Foundation

/// Where a kind lives in the REST API. The reader and writer build every URL from this, so
/// adding a kind is one descriptor, not new request code.
public struct KubeResource: Sendable, Hashable {
    /// `""` for the core group.
    public var group: String
    public var version: String
    /// The URL segment and RBAC resource name: `deployments`.
    public var plural: String
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` or `apps/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The name Status messages and RBAC use: `pods`, `deployments.apps`.
    public var groupResource: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// `/api/v1/namespaces/X/pods/NAME/log`; without a namespace, the all-namespaces (or
    /// cluster-scoped) collection.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace {
            path += "/namespaces/\(Self.escape(namespace))"
        }
        path += "/\(plural)"
        if let name {
            path += "/\(Self.escape(name))"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}

/// A model the reader and writer can fetch and send: it knows its resource and carries the
/// `apiVersion`/`kind` the API leaves out of list items.
public protocol KubeObject: Codable, Sendable {
    static var resource: KubeResource { get }
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ObjectMeta { get }
    /// This object, holding `previous`'s values wherever they equal its own (see
    /// UnchangedSharing.swift): the informer's cache keeps one copy of what a change left.
    func sharing(unchangedFrom previous: Self) -> Self
}

extension KubeObject {
    /// Kinds that change rarely or whole keep their own values.
    public func sharing(unchangedFrom previous: Self) -> Self { self }

    /// This object as a reference (a namespaced kind's: none set means `default`).
    public var ref: ObjectRef {
        ObjectRef(kind: Self.resource.kind, namespace: metadata.namespace ?? "default", name: metadata.name)
    }

    /// Fills in `apiVersion` and `kind` when the server left them out (items of a list).
    mutating func stampType() {
        if apiVersion == nil { apiVersion = Self.resource.apiVersion }
        if kind == nil { kind = Self.resource.kind }
    }
}

extension Namespace: KubeObject {
    public static let resource = KubeResource(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
}

extension Pod: KubeObject {
    public static let resource = KubeResource(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
}

extension Service: KubeObject {
    public static let resource = KubeResource(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)
}

extension Endpoints: KubeObject {
    public static let resource = KubeResource(group: "", version: "v1", plural: "endpoints", kind: "Endpoints", namespaced: true)
}

extension Event: KubeObject {
    public static let resource = KubeResource(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true)
}

extension NetworkPolicy: KubeObject {
    public static let resource = KubeResource(group: "networking.k8s.io", version: "v1", plural: "networkpolicies",
                                              kind: "NetworkPolicy", namespaced: true)
}

extension Ingress: KubeObject {
    public static let resource = KubeResource(group: "networking.k8s.io", version: "v1", plural: "ingresses",
                                              kind: "Ingress", namespaced: true)
}

extension HTTPRoute: KubeObject {
    public static let resource = KubeResource(group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes",
                                              kind: "HTTPRoute", namespaced: true)
}

extension ConfigMap: KubeObject {
    public static let resource = KubeResource(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true)
}

extension Deployment: KubeObject {
    public static let resource = KubeResource(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true)
}

extension ReplicaSet: KubeObject {
    public static let resource = KubeResource(group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true)
}

extension StatefulSet: KubeObject {
    public static let resource = KubeResource(group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", namespaced: true)
}

extension DaemonSet: KubeObject {
    public static let resource = KubeResource(group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet", namespaced: true)
}

extension Job: KubeObject {
    public static let resource = KubeResource(group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true)
}
