import Foundation
import MedicHTTP

/// The only way medic changes a cluster: patch, create, update, delete. Kept apart from
/// `KubeReader` so code that should only look (advise) never holds one.
public struct KubeWriter: Sendable {
    let transport: KubeTransport
    /// Sent as `fieldManager` on every write, so server-side field ownership shows medic.
    public var fieldManager: String
    /// Checked before every request: nil sends unconditionally (no leader election).
    public var fence: (any WriteFence)?

    public init(connection: ClusterConnection, timeout: Duration = .seconds(30), fieldManager: String = "medic") {
        self.transport = KubeTransport(connection: connection, timeout: timeout)
        self.fieldManager = fieldManager
    }

    /// The three patch formats the API accepts on built-in kinds.
    public enum PatchType: String, Sendable, Hashable {
        case strategicMerge = "application/strategic-merge-patch+json"
        case merge = "application/merge-patch+json"
        case json = "application/json-patch+json"
    }

    /// How a write is carried out.
    public struct Options: Sendable, Hashable {
        /// `dryRun=All`: the server validates and admits the change and returns the result
        /// without persisting it.
        public var dryRun: Bool
        /// A delete's `preconditions`: the uid and resourceVersion the object must still have,
        /// or the server answers 409 and deletes nothing.
        public var precondition: ObjectVersion?

        public init(dryRun: Bool = false, precondition: ObjectVersion? = nil) {
            self.dryRun = dryRun
            self.precondition = precondition
        }
    }

    /// The object a write was decided on: a newer one of the same name, or the same one
    /// changed since, is not it.
    public struct ObjectVersion: Sendable, Hashable {
        public var uid: String
        public var resourceVersion: String

        public init(uid: String, resourceVersion: String) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    /// Applies `patch` to an object and returns the object as the server now has it.
    public func patch<Object: KubeObject>(
        _ type: Object.Type, name: String, namespace: String? = nil, patch: Data, as patchType: PatchType,
        subresource: String? = nil, options: Options = .init()
    ) async throws(KubeAPIError) -> Object {
        var request = write("patch", Object.resource, namespace: namespace, name: name, method: "PATCH", options: options)
        request.subresource = subresource
        request.body = patch
        request.contentType = patchType.rawValue
        return try await send(request)
    }

    /// Creates `object` in `namespace` (or its own).
    ///
    /// The body is the model as encoded, so fields the model does not know are not sent.
    public func create<Object: KubeObject>(
        _ object: Object, namespace: String? = nil, options: Options = .init()
    ) async throws(KubeAPIError) -> Object {
        var request = write("create", Object.resource, namespace: namespace ?? object.metadata.namespace, name: nil,
                            method: "POST", options: options)
        request.body = try encode(object, request)
        request.contentType = "application/json"
        return try await send(request)
    }

    /// Replaces an object (PUT). Its `metadata.resourceVersion` makes this fail with
    /// `conflict` if someone changed the object since it was read.
    ///
    /// The body is the model as encoded: fields the model does not know are dropped on the
    /// server, so prefer `patch` for kinds the model does not cover completely.
    public func update<Object: KubeObject>(_ object: Object, options: Options = .init()) async throws(KubeAPIError) -> Object {
        var request = write("update", Object.resource, namespace: object.metadata.namespace, name: object.metadata.name,
                            method: "PUT", options: options)
        request.body = try encode(object, request)
        request.contentType = "application/json"
        return try await send(request)
    }

    /// Deletes an object. Returns the object while it is still being deleted (graceful
    /// deletion, finalizers), nil when it is gone.
    @discardableResult
    public func delete<Object: KubeObject>(
        _ type: Object.Type, name: String, namespace: String? = nil, options: Options = .init()
    ) async throws(KubeAPIError) -> Object? {
        var request = write("delete", Object.resource, namespace: namespace, name: name, method: "DELETE", options: options)
        if let precondition = options.precondition {
            let preconditions: JSON = ["preconditions": ["uid": .string(precondition.uid),
                                                         "resourceVersion": .string(precondition.resourceVersion)]]
            request.body = preconditions.serialized()
            request.contentType = "application/json"
        }
        let body = try await transmit(request).body
        if KubeStatus.decode(body) != nil { return nil }
        var object = try transport.decode(Object.self, from: body, request)
        object.stampType()
        return object
    }

    private func write(
        _ verb: String, _ resource: KubeResource, namespace: String?, name: String?, method: String, options: Options
    ) -> KubeRequest {
        var request = KubeRequest(verb: verb, resource: resource, namespace: namespace, name: name)
        request.method = method
        if options.dryRun { request.query.append(("dryRun", "All")) }
        if method != "DELETE" { request.query.append(("fieldManager", fieldManager)) }
        return request
    }

    private func encode<Object: KubeObject>(_ object: Object, _ request: KubeRequest) throws(KubeAPIError) -> Data {
        var object = object
        object.stampType()
        do {
            return try KubeJSON.makeEncoder().encode(object)
        } catch {
            throw transport.failure(.badResponse, request, "cannot encode the object: \(error)")
        }
    }

    /// Every write leaves through here: the fence first, then the wire.
    func transmit(_ request: KubeRequest) async throws(KubeAPIError) -> HTTPResponse {
        if let fence {
            do {
                try await fence.check()
            } catch {
                throw transport.failure(.fenced, request, error.description)
            }
        }
        return try await transport.send(request)
    }

    private func send<Object: KubeObject>(_ request: KubeRequest) async throws(KubeAPIError) -> Object {
        var object = try transport.decode(Object.self, from: try await transmit(request).body, request)
        object.stampType()
        return object
    }
}
