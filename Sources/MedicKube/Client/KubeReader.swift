import Foundation

/// Everything medic may do to a cluster without changing it: list, get, watch and read logs.
/// `medic advise` holds only a reader, so it cannot mutate a cluster by construction.
public struct KubeReader: Sendable {
    let transport: KubeTransport
    /// `limit` of each list page; kubectl uses 500.
    public var pageSize: Int

    public init(connection: ClusterConnection, timeout: Duration = .seconds(30), pageSize: Int = 500) {
        self.transport = KubeTransport(connection: connection, timeout: timeout)
        self.pageSize = pageSize
    }

    public var connection: ClusterConnection { transport.connection }

    /// Narrows a list or watch.
    public struct Selection: Sendable, Hashable {
        public var labelSelector: String?
        public var fieldSelector: String?

        public init(labelSelector: String? = nil, fieldSelector: String? = nil) {
            self.labelSelector = labelSelector
            self.fieldSelector = fieldSelector
        }

        var query: [(String, String)] {
            [("fieldSelector", fieldSelector), ("labelSelector", labelSelector)].compactMap { key, value in
                value.flatMap { $0.isEmpty ? nil : (key, $0) }
            }
        }
    }

    /// A complete list and the resourceVersion to watch from.
    public struct List<Object: KubeObject>: Sendable {
        public var items: [Object]
        public var resourceVersion: String
    }

    private struct Page<Object: KubeObject>: Decodable {
        struct Metadata: Decodable {
            var resourceVersion: String?
            var `continue`: String?
        }
        var metadata: Metadata?
        var items: [Object]?
    }

    /// All objects of a kind, following `continue` tokens page by page. `namespace` nil means
    /// all namespaces (or the whole cluster for cluster-scoped kinds). If a continue token
    /// expires midway (410), the list starts over once, unpaginated, as client-go's pager does.
    public func list<Object: KubeObject>(
        _ type: Object.Type, namespace: String? = nil, selection: Selection = .init()
    ) async throws(KubeAPIError) -> List<Object> {
        if let list = try await list(type, namespace: namespace, selection: selection, limit: pageSize) {
            return list
        }
        // A continue token expired midway: one consistent, unpaginated read instead.
        return try await list(type, namespace: namespace, selection: selection, limit: nil)
            ?? List(items: [], resourceVersion: "")
    }

    /// nil when a continue token expired after the first page.
    private func list<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, selection: Selection, limit: Int?
    ) async throws(KubeAPIError) -> List<Object>? {
        var items: [Object] = []
        var resourceVersion = ""
        var token: String?
        repeat {
            var request = KubeRequest(verb: "list", resource: Object.resource, namespace: namespace)
            request.query = selection.query
            if let token { request.query.append(("continue", token)) }
            if let limit { request.query.append(("limit", String(limit))) }
            let page: Page<Object>
            do {
                page = try transport.decode(Page<Object>.self, from: try await transport.send(request).body, request)
            } catch where token != nil && limit != nil && error.code == .gone {
                return nil
            }
            if token == nil { resourceVersion = page.metadata?.resourceVersion ?? "" }
            items += (page.items ?? []).map { item in
                var item = item
                item.stampType()
                return item
            }
            token = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return List(items: items, resourceVersion: resourceVersion)
    }

    /// One object by name.
    public func get<Object: KubeObject>(
        _ type: Object.Type, name: String, namespace: String? = nil
    ) async throws(KubeAPIError) -> Object {
        let request = KubeRequest(verb: "get", resource: Object.resource, namespace: namespace, name: name)
        var object = try transport.decode(Object.self, from: try await transport.send(request).body, request)
        object.stampType()
        return object
    }

    /// Changes to a kind from `resourceVersion` on (or, without one, a list first), until the
    /// consuming task stops iterating. Closed watches are resumed from the last version seen;
    /// a 410 relists. `timeoutSeconds` bounds each watch request on the server side.
    public func watch<Object: KubeObject>(
        _ type: Object.Type, namespace: String? = nil, resourceVersion: String? = nil,
        selection: Selection = .init(), timeoutSeconds: Int = 300
    ) -> KubeWatch<Object> {
        KubeWatch(reader: self, namespace: namespace, resourceVersion: resourceVersion, selection: selection, timeoutSeconds: timeoutSeconds)
    }

    /// Which log to read.
    public struct LogOptions: Sendable, Hashable {
        public var container: String?
        /// The log of the container instance before the last restart: where a crash shows.
        public var previous: Bool
        public var tailLines: Int?
        /// Bytes the kubelet sends at most: a line of a log can be megabytes long.
        public var limitBytes: Int?

        public init(container: String? = nil, previous: Bool = false, tailLines: Int? = nil, limitBytes: Int? = nil) {
            self.container = container
            self.previous = previous
            self.tailLines = tailLines
            self.limitBytes = limitBytes
        }
    }

    /// A container's log as text.
    public func logs(pod: String, namespace: String, options: LogOptions = .init()) async throws(KubeAPIError) -> String {
        var request = KubeRequest(verb: "get logs of", resource: Pod.resource, namespace: namespace, name: pod, subresource: "log")
        request.accept = "text/plain, */*"
        if let container = options.container { request.query.append(("container", container)) }
        if options.previous { request.query.append(("previous", "true")) }
        if let tailLines = options.tailLines { request.query.append(("tailLines", String(tailLines))) }
        if let limitBytes = options.limitBytes { request.query.append(("limitBytes", String(limitBytes))) }
        return String(decoding: try await transport.send(request).body, as: UTF8.self)
    }
}
