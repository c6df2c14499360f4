import MedicKube
import Foundation
import Hummingbird
import NIOCore
import NIOSSL

/// The HTTP front end: maps apiserver URLs, verbs and content types onto `KubeSim`, and
/// every failure onto a Status body with the matching HTTP code.
struct APIResponder: HTTPResponder {
    typealias Context = KubeSimRequestContext

    let sim: KubeSim
    let authentication: Authentication
    let bookmarkInterval: Duration
    /// RBAC for service-account tokens; nil when the server enforces none.
    let authorizer: RBACAuthorizer?

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await handle(request, context: context)
        } catch let error as APIError {
            return Self.json(error.status, status: error.code)
        }
    }

    private func handle(_ request: Request, context: Context) async throws -> Response {
        guard let path = APIPath(request.uri.path) else { throw APIError.unknownPath }
        switch path {
        case .version: return Self.json(Discovery.version)
        case .health: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        case .metrics:
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: sim.metricsText())))
            response.headers[.contentType] = MetricExposition.contentType
            return response
        default: break
        }
        let serviceAccount = authorizer?.user(authorization: request.headers[.authorization])
        if serviceAccount == nil { try await authentication.check(request, channel: context.channel) }
        let accept = request.headers[.accept] ?? ""
        switch path {
        case .coreVersions, .groups:
            let core = path == .coreVersions
            if let version = Discovery.aggregatedVersion(accept: accept) {
                return Self.json(Discovery.aggregated(core: core, version: version),
                                 contentType: Discovery.contentType(version: version))
            }
            return Self.json(core ? Discovery.coreVersions : Discovery.groupList)
        case .groupVersion(let groupVersion):
            guard let list = Discovery.resourceList(groupVersionPath: groupVersion) else { throw APIError.unknownPath }
            return Self.json(list)
        case .openAPI(let document):
            return try Self.openAPI(document, accept: accept)
        case .resource(let type, let namespace, let name, let subresource, let legacyWatch):
            let query = Query(request.uri)
            let fault = sim.faults.withLock { $0.take(method: request.method.rawValue, path: request.uri.path, dryRun: query.dryRun) }
            if case .status(let code, let retryAfter)? = fault { return FaultInjection.response(status: code, retryAfter: retryAfter) }
            let target = ResourceRequest(type: type, namespace: namespace, name: name, subresource: subresource,
                                         query: query, accept: accept)
            // Every authenticated caller may ask what it may do.
            if type == .selfSubjectAccessReview || type == .selfSubjectRulesReview {
                guard request.method == .post else { throw APIError.methodNotAllowed }
                let body = try await Self.reviewBody(request, type: type)
                return Self.json(try AccessReview.review(type, body: body, user: serviceAccount, authorizer: authorizer,
                                                         sim: sim), status: 201)
            }
            if let authorizer, let serviceAccount {
                try authorizer.authorize(RBACRequest(user: serviceAccount, method: request.method, target: target,
                                                     legacyWatch: legacyWatch), in: sim)
            }
            if type == .podMetrics || type == .nodeMetrics {
                guard request.method == .get else { throw APIError.methodNotAllowed }
                let labels = try query.selectors().labels
                return Self.json(try sim.state.withLock { state throws(APIError) in
                    try ResourceMetricsAPI.list(type, namespace: namespace, labels: labels, name: name, cluster: state)
                })
            }
            let response = try await resource(target, request: request, legacyWatch: legacyWatch)
            if case .delay(let duration)? = fault { try? await Task.sleep(for: duration) }
            return response
        case .serviceProxy(let namespace, let service, let proxyPath):
            let name = ServiceProxyTarget(service).name
            if let authorizer, let serviceAccount {
                let target = ResourceRequest(type: .service, namespace: namespace, name: name, subresource: "proxy",
                                             query: Query(request.uri), accept: accept)
                try authorizer.authorize(RBACRequest(user: serviceAccount, method: request.method, target: target,
                                                     legacyWatch: false), in: sim)
            }
            let method = request.method.rawValue
            let result = try sim.state.withLock { state throws(APIError) in
                try state.proxy(namespace: namespace, service: service, method: method, path: proxyPath)
            }
            try? await Task.sleep(for: .milliseconds(Int(min(result.latency, ServiceProxyResult.maxDelay) * 1000)))
            return Self.json(result.body, status: result.status)
        case .version, .health, .metrics:
            throw APIError.unknownPath
        }
    }

    /// v3 documents as JSON; v2 as JSON when the client takes it. kubectl asks for v2 in
    /// protobuf only, which KubeSim does not speak: 406, and kubectl carries on without it.
    private static func openAPI(_ document: String, accept: String) throws(APIError) -> Response {
        switch document {
        case "v3": return json(OpenAPIDocument.index)
        case "v2":
            guard accept.isEmpty || accept.contains("application/json") || accept.contains("*/*") else {
                throw APIError.notAcceptable
            }
            return json(OpenAPIDocument.v2)
        default:
            guard document.hasPrefix("v3/"), let body = OpenAPIDocument.document(v3: String(document.dropFirst(3))) else {
                throw APIError.unknownPath
            }
            return json(body)
        }
    }

    private func resource(_ target: ResourceRequest, request: Request, legacyWatch: Bool) async throws -> Response {
        let type = target.type
        let namespace = target.namespace ?? ""
        switch (request.method, target.name, target.subresource) {
        case (.get, nil, nil):
            if legacyWatch || target.query.flag("watch") {
                return try watch(target)
            }
            return try list(target)
        case (.get, let name?, nil):
            guard let object = sim.get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
            return respond(object: object, target: target)
        case (.get, let name?, "scale") where type.subresources.contains("scale"):
            return Self.json(try sim.state.withLock { state throws(APIError) in try state.scale(type, namespace: namespace, name: name) })
        case (.get, let name?, "status") where type.subresources.contains("status"):
            guard let object = sim.get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
            return Self.json(object)
        case (.get, let name?, "log") where type == .pod:
            return try log(pod: name, target: target)
        case (.post, nil, nil):
            let body = try await Self.body(request)
            let warnings = try FieldValidation(target.query["fieldValidation"]).check(body: body, type: type)
            let dryRun = target.query.dryRun
            let manager = Self.fieldManager(request, query: target.query)
            let created = try sim.state.withLock { state throws(APIError) in
                try state.create(type, namespace: namespace, body: body, dryRun: dryRun, manager: manager)
            }
            return Self.json(created, status: 201, warnings: warnings)
        case (.put, let name?, nil), (.put, let name?, "status"):
            let body = try await Self.body(request)
            let warnings = try FieldValidation(target.query["fieldValidation"]).check(body: body, type: type)
            let dryRun = target.query.dryRun
            let manager = Self.fieldManager(request, query: target.query)
            let updated = try sim.state.withLock { state throws(APIError) in
                try state.replace(type, namespace: namespace, name: name, body: body, subresource: target.subresource,
                                  dryRun: dryRun, manager: manager)
            }
            return Self.json(updated, warnings: warnings)
        case (.put, let name?, "scale") where type.subresources.contains("scale"):
            let body = try await Self.body(request)
            let dryRun = target.query.dryRun
            let manager = Self.fieldManager(request, query: target.query)
            return Self.json(try sim.state.withLock { state throws(APIError) in
                try state.updateScale(type, namespace: namespace, name: name, patch: nil, patchType: nil, body: body,
                                      dryRun: dryRun, manager: manager)
            })
        case (.patch, let name?, let subresource) where subresource == nil || subresource == "status"
            || (subresource == "scale" && type.subresources.contains("scale")):
            let contentType = request.headers[.contentType] ?? ""
            let dryRun = target.query.dryRun
            let manager = Self.fieldManager(request, query: target.query)
            if Self.mediaType(contentType) == "application/apply-patch+yaml", subresource != "scale" {
                let configuration = try await Self.applyBody(request)
                let apply = ClusterState.ApplyRequest(manager: target.query["fieldManager"] ?? "",
                                                      force: target.query.flag("force"), dryRun: dryRun,
                                                      subresource: subresource)
                let result = try sim.state.withLock { state throws(APIError) in
                    try state.apply(type, namespace: namespace, name: name, configuration: configuration, request: apply)
                }
                return Self.json(result.object, status: result.created ? 201 : 200)
            }
            let patchType = try Self.patchType(contentType)
            let patch = try await Self.body(request)
            let warnings = patchType == .json ? []
                : try FieldValidation(target.query["fieldValidation"]).check(patch: patch, type: type)
            let result = try sim.state.withLock { state throws(APIError) in
                if subresource == "scale" {
                    return try state.updateScale(type, namespace: namespace, name: name, patch: patch,
                                                 patchType: patchType, body: nil, dryRun: dryRun, manager: manager)
                }
                return try state.patch(type, namespace: namespace, name: name, patch: patch, patchType: patchType,
                                       subresource: subresource, dryRun: dryRun, manager: manager)
            }
            return Self.json(result, warnings: subresource == "scale" ? [] : warnings)
        case (.delete, let name?, nil):
            let options = try await Self.body(request, emptyIs: [:])
            let dryRun = target.query.dryRun || (options["dryRun"]?.array ?? []).contains("All")
            let orphan = (options["propagationPolicy"]?.string ?? target.query["propagationPolicy"]) == "Orphan"
                || options["orphanDependents"]?.bool == true
            let dependents: ClusterState.Dependents = orphan ? .orphan : .delete
            return Self.json(try sim.state.withLock { state throws(APIError) in
                try state.delete(type, namespace: namespace, name: name, dependents: dependents, dryRun: dryRun)
            })
        case (.delete, nil, nil):
            let dryRun = target.query.dryRun
            let selection = try target.query.selectors()
            let removed = try sim.state.withLock { state throws(APIError) in
                var removed: [JSON] = []
                for object in state.list(type, namespace: target.namespace, labels: selection.labels, fields: selection.fields) {
                    _ = try state.delete(type, namespace: ClusterState.namespace(object), name: ClusterState.name(object),
                                         dependents: .delete, dryRun: dryRun)
                    removed.append(object)
                }
                return removed
            }
            return Self.json(["kind": .string(type.listKind), "apiVersion": .string(type.apiVersion),
                              "metadata": ["resourceVersion": .string(sim.resourceVersion)], "items": .array(removed)])
        default:
            throw APIError.methodNotAllowed
        }
    }

    // MARK: Reads

    private func respond(object: JSON, target: ResourceRequest) -> Response {
        guard target.wantsTable else { return Self.json(object) }
        let renderer = TableRenderer(now: sim.state.withLock { $0.clock() })
        return Self.json(renderer.table(target.type, objects: [object],
                                        listMetadata: ["resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? ""],
                                        includeObject: target.query["includeObject"] ?? "Metadata"))
    }

    private func list(_ target: ResourceRequest) throws -> Response {
        let selection = try target.query.selectors()
        let (items, version, now) = sim.state.withLock { state in
            (state.list(target.type, namespace: target.namespace, labels: selection.labels, fields: selection.fields),
             String(state.resourceVersion), state.clock())
        }
        var start = 0
        if let token = target.query["continue"], !token.isEmpty {
            guard let data = Data(base64Encoded: token), let offset = Int(String(decoding: data, as: UTF8.self)),
                  offset >= 0, offset <= items.count else {
                throw APIError.badRequest("continue key is not valid: illegal base64 data at input byte 0")
            }
            start = offset
        }
        var end = items.count
        if let limit = target.query["limit"].flatMap(Int.init), limit > 0 { end = min(items.count, start + limit) }
        var metadata: JSON = ["resourceVersion": .string(version)]
        if end < items.count {
            metadata["continue"] = .string(Data(String(end).utf8).base64EncodedString())
            metadata["remainingItemCount"] = .int(Int64(items.count - end))
        }
        let page = Array(items[start..<end])
        if target.wantsTable {
            return Self.json(TableRenderer(now: now).table(target.type, objects: page, listMetadata: metadata,
                                                           includeObject: target.query["includeObject"] ?? "Metadata"))
        }
        return Self.json(["kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion),
                          "metadata": metadata, "items": .array(page)])
    }

    private func log(pod name: String, target: ResourceRequest) throws -> Response {
        let namespace = target.namespace ?? ""
        guard let pod = sim.get(.pod, namespace: namespace, name: name) else { throw APIError.notFound(.pod, name) }
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let container: String
        if let given = target.query["container"], !given.isEmpty {
            guard containers.contains(given) else {
                throw APIError.badRequest("container \(given) is not valid for pod \(name)")
            }
            container = given
        } else if containers.count == 1 {
            container = containers[0]
        } else {
            throw APIError.badRequest(
                "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
        }
        let previous = target.query.flag("previous")
        let key = ClusterState.LogKey(namespace: namespace, pod: name, container: container, previous: previous)
        guard var text = sim.state.withLock({ $0.logs[key] }) ?? (previous ? nil : "") else {
            throw APIError.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
        }
        if let tail = target.query["tailLines"].flatMap(Int.init), tail >= 0 {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            text = lines.suffix(tail).map { $0 + "\n" }.joined()
        }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "text/plain"
        return response
    }

    // MARK: Watch

    private func watch(_ target: ResourceRequest) throws -> Response {
        let selection = try target.query.selectors()
        let requested = target.query["resourceVersion"] ?? ""
        let (stream, continuation) = AsyncStream<WatchItem>.makeStream()
        let id = UUID()
        let watcher = Watcher(resource: target.type, namespace: target.namespace, labels: selection.labels,
                              fields: selection.fields, continuation: continuation)
        let start: WatchStart = sim.state.withLock { state in
            if requested.isEmpty || requested == "0" {
                let initial = state.list(target.type, namespace: target.namespace, labels: selection.labels,
                                         fields: selection.fields)
                    .map { WatchEvent(type: "ADDED", resourceVersion: 0, resource: target.type, object: $0) }
                state.watchers[id] = watcher
                return .events(initial)
            }
            guard let version = Int64(requested) else {
                return .error(APIError.badRequest("invalid resource version: \(requested)"))
            }
            if version < state.oldestWatchableVersion {
                return .error(APIError.expired("too old resource version: \(version) (\(state.oldestWatchableVersion + 1))"))
            }
            state.watchers[id] = watcher
            return .events(state.history.filter { $0.resourceVersion > version && watcher.wants($0) })
        }
        let timeout = Duration.seconds(target.query["timeoutSeconds"].flatMap(Int.init) ?? 1800)
        let bookmarks = target.query.flag("allowWatchBookmarks")
        let interval = bookmarkInterval
        let ticker = Task {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                try? await Task.sleep(for: min(interval, deadline - ContinuousClock.now))
                if Task.isCancelled { return }
                if bookmarks { continuation.yield(.bookmark) }
            }
            continuation.finish()
        }
        let sim = sim
        continuation.onTermination = { _ in
            ticker.cancel()
            sim.state.withLock { _ = $0.watchers.removeValue(forKey: id) }
        }
        let encoder = WatchEncoder(target: target, now: sim.state.withLock { $0.clock() })
        var response = Response(status: .ok, body: ResponseBody { writer in
            var encoder = encoder
            switch start {
            case .error(let error):
                continuation.finish()
                try await writer.write(encoder.line(type: "ERROR", object: error.status))
            case .events(let initial):
                for event in initial {
                    try await writer.write(encoder.line(event))
                }
                for await item in stream {
                    switch item {
                    case .event(let event):
                        try await writer.write(encoder.line(event))
                    case .bookmark:
                        let version = sim.resourceVersion
                        try await writer.write(encoder.line(type: "BOOKMARK", object: [
                            "kind": .string(target.type.kind), "apiVersion": .string(target.type.apiVersion),
                            "metadata": ["resourceVersion": .string(version)],
                        ]))
                    }
                }
            }
            continuation.finish()
            try await writer.finish(nil)
        })
        response.headers[.contentType] = "application/json"
        return response
    }

    private enum WatchStart: Sendable {
        case events([WatchEvent])
        case error(APIError)
    }

    // MARK: Encoding

    /// `warnings` go out as `Warning: 299 - "…"` headers, which kubectl prints as `Warning: …`.
    static func json(_ value: JSON, status: Int = 200, contentType: String = "application/json",
                     warnings: [String] = []) -> Response {
        var response = Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(data: value.serialized())))
        response.headers[.contentType] = contentType
        for warning in warnings {
            let quoted = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            response.headers.append(.init(name: .init("Warning")!, value: "299 - \"\(quoted)\""))
        }
        return response
    }

    /// The request's `fieldManager`, else what the apiserver derives from the User-Agent
    /// (up to its first `/`).
    private static func fieldManager(_ request: Request, query: Query) -> String {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        return (request.headers[.userAgent] ?? "").split(separator: "/").first.map(String.init) ?? "unknown"
    }

    /// A review body: JSON, or the protobuf kubectl's typed client sends.
    private static func reviewBody(_ request: Request, type: ResourceType) async throws -> JSON {
        guard mediaType(request.headers[.contentType] ?? "") == ProtobufReview.contentType else {
            return try await body(request)
        }
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
        guard let review = ProtobufReview.decode(data, as: type) else {
            throw APIError.badRequest("the request body is not a \(type.kind) in protobuf")
        }
        return review
    }

    /// An apply body: JSON (what kubectl sends) or YAML.
    private static func applyBody(_ request: Request) async throws -> JSON {
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 16 << 20))
        if let json = try? JSON(parsing: data), json.object != nil { return json }
        guard let object = try? ManifestLoader.objects(in: String(decoding: data, as: UTF8.self), source: "apply").first else {
            throw APIError.badRequest("error decoding YAML: the apply body is not a YAML or JSON object")
        }
        return object
    }

    private static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    private static func body(_ request: Request, emptyIs empty: JSON? = nil) async throws -> JSON {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 << 20)
        let data = Data(buffer: buffer)
        if data.isEmpty, let empty { return empty }
        do {
            return try JSON(parsing: data)
        } catch {
            throw APIError.badRequest("the request body is not valid JSON: \(error)")
        }
    }

    private static func patchType(_ contentType: String) throws(APIError) -> PatchType {
        let mediaType = mediaType(contentType)
        switch mediaType {
        case "application/strategic-merge-patch+json": return .strategicMerge
        case "application/merge-patch+json": return .merge
        case "application/json-patch+json": return .json
        default: throw APIError.unsupportedMediaType(mediaType)
        }
    }
}

/// One watch stream's encoder: Table-wrapped objects when the client asked for a Table,
/// column definitions only on the first event.
struct WatchEncoder {
    var target: ResourceRequest
    var now: Date
    private var sentColumns = false

    init(target: ResourceRequest, now: Date) {
        self.target = target
        self.now = now
    }

    mutating func line(_ event: WatchEvent) -> ByteBuffer {
        var object = event.object
        if target.wantsTable {
            object = TableRenderer(now: now).table(
                target.type, objects: [event.object],
                listMetadata: ["resourceVersion": event.object[path: ["metadata", "resourceVersion"]] ?? ""],
                includeObject: target.query["includeObject"] ?? "Metadata", withColumns: !sentColumns)
            sentColumns = true
        }
        return line(type: event.type, object: object)
    }

    func line(type: String, object: JSON) -> ByteBuffer {
        var data = JSON.object(["type": .string(type), "object": object]).serialized()
        data.append(0x0A)
        return ByteBuffer(data: data)
    }
}
