import Foundation

/// A write whose wire form was rendered elsewhere (an action's kubectl-equivalent request, a
/// rollback patch): sent byte for byte, with the caller's own query (`fieldManager`, `dryRun`).
/// The typed `KubeWriter` methods re-encode a model, which would drop fields the model does
/// not know; an action must reach the server exactly as it was shown and audited.
public struct KubeRawRequest: Sendable {
    public var method: String
    /// Percent-encoded, e.g. `/apis/apps/v1/namespaces/shop/deployments/api/scale`.
    public var path: String
    public var query: [(String, String)]
    public var contentType: String?
    public var body: Data?
    /// The object the request is about, for error messages (`patch deployments.apps "api" …`).
    public var resource: KubeResource
    public var namespace: String?
    public var name: String?

    public init(method: String, path: String, query: [(String, String)] = [], contentType: String? = nil, body: Data? = nil,
                resource: KubeResource, namespace: String?, name: String?) {
        self.method = method
        self.path = path
        self.query = query
        self.contentType = contentType
        self.body = body
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }
}

extension KubeResource {
    /// The resource of a kind medic acts on (`Deployment`, `StatefulSet`, `DaemonSet`,
    /// `Service`, `Pod`, `ReplicaSet`, `Namespace`, `Event`, and the GitOps objects
    /// `suspend-sync` changes); nil for any other kind.
    public static func known(kind: String) -> KubeResource? {
        [Deployment.resource, StatefulSet.resource, DaemonSet.resource, Service.resource, Pod.resource,
         ReplicaSet.resource, Namespace.resource, Event.resource].first { $0.kind == kind }
            ?? GitOpsOwner.Syncer(rawValue: kind)?.resource
    }
}

extension KubeWriter {
    /// Sends `raw` as given and returns the response body of a 2xx answer; any other answer
    /// throws with the server's Status (a 409 `conflict`, a 429 with `retryAfterSeconds`, …).
    public func send(_ raw: KubeRawRequest) async throws(KubeAPIError) -> Data {
        var request = KubeRequest(verb: raw.method.lowercased(), resource: raw.resource, namespace: raw.namespace, name: raw.name)
        request.method = raw.method
        request.rawPath = raw.path
        request.query = raw.query
        request.contentType = raw.contentType
        request.body = raw.body
        return try await transmit(request).body
    }
}

extension KubeReader {
    /// One object as the server sends it, every field included: what the act stage keeps as
    /// the before-state of a change, and diffs a `set-*` action against.
    public func getJSON(_ resource: KubeResource, name: String, namespace: String?) async throws(KubeAPIError) -> Data {
        let request = KubeRequest(verb: "get", resource: resource, namespace: namespace, name: name)
        return try await transport.send(request).body
    }

    /// Every object of a kind in a namespace, every field included, in one unpaginated read:
    /// what a rollback needs from the ReplicaSets (their whole pod templates).
    public func listJSON(_ resource: KubeResource, namespace: String?) async throws(KubeAPIError) -> [JSON] {
        let request = KubeRequest(verb: "list", resource: resource, namespace: namespace, name: nil)
        let body = try await transport.send(request).body
        guard let list = try? JSON(parsing: body), let items = list["items"]?.array else {
            throw transport.failure(.badResponse, request, "the response is not a Kubernetes List")
        }
        return items
    }
}
