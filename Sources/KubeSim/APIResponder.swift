import MedicKube
import Foundation
import Hummingbird
import NIOCore

/// The HTTP front end's routing: maps apiserver paths onto discovery, OpenAPI, metrics, the
/// service proxy and the resource handler, after `APIAccess` has let the caller in, and
/// every failure onto a Status body with the matching HTTP code.
struct APIResponder: HTTPResponder {
    typealias Context = KubeSimRequestContext

    let sim: KubeSim
    let access: APIAccess
    let bookmarkInterval: Duration

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await handle(request, context: context)
        } catch let error as APIError {
            return Self.json(error.status, status: error.code)
        }
    }

    private func handle(_ request: Request, context: Context) async throws -> Response {
        let catalog = sim.catalog
        guard let path = APIPath(request.uri.path, catalog: catalog) else { throw APIError.unknownPath }
        switch path {
        case .version: return Self.json(Discovery.version)
        case .health: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        case .metrics:
            guard let text = sim.metricsText() else {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(
                    string: "the scenario's history runs ahead of the wall clock; its live metrics start when it catches up\n")))
            }
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
            response.headers[.contentType] = MetricExposition.contentType
            return response
        default: break
        }
        let caller = try await access.caller(of: request, channel: context.channel)
        let accept = request.headers[.accept] ?? ""
        switch path {
        case .coreVersions, .groups:
            let core = path == .coreVersions
            if let version = Discovery.aggregatedVersion(accept: accept) {
                return Self.json(Discovery.aggregated(core: core, version: version, catalog: catalog),
                                 contentType: Discovery.contentType(version: version))
            }
            return Self.json(core ? Discovery.coreVersions : Discovery.groupList(catalog: catalog))
        case .groupVersion(let groupVersion):
            guard let list = Discovery.resourceList(groupVersionPath: groupVersion, catalog: catalog) else {
                throw APIError.unknownPath
            }
            return Self.json(list)
        case .openAPI(let document):
            return try Self.openAPI(document, accept: accept, catalog: catalog)
        case .resource(let type, let namespace, let name, let subresource, let legacyWatch):
            let query = Query(request.uri)
            sim.requestLog.withLock { $0 }?.record(method: request.method.rawValue, path: request.uri.path,
                                                   query: request.uri.query, userAgent: request.headers[.userAgent] ?? "")
            let fault = sim.faults.withLock { $0.take(method: request.method.rawValue, path: request.uri.path, dryRun: query.dryRun) }
            if case .status(let code, let retryAfter)? = fault { return FaultInjection.response(status: code, retryAfter: retryAfter) }
            let target = ResourceRequest(type: type, namespace: namespace, name: name, subresource: subresource,
                                         query: query, accept: accept)
            // Every authenticated caller may ask what it may do.
            if type == .selfSubjectAccessReview || type == .selfSubjectRulesReview {
                guard request.method == .post else { throw APIError.methodNotAllowed }
                let body = try await RequestContent.review(request, type: type)
                return Self.json(try AccessReview.review(type, body: body, user: caller, authorizer: access.authorizer,
                                                         sim: sim), status: 201)
            }
            try access.authorize(caller, method: request.method, target: target, legacyWatch: legacyWatch, in: sim)
            if type == .podMetrics || type == .nodeMetrics {
                guard request.method == .get else { throw APIError.methodNotAllowed }
                let labels = try query.selectors().labels
                return Self.json(try sim.state.withLock { state throws(APIError) in
                    try ResourceMetricsAPI.list(type, namespace: namespace, labels: labels, name: name, cluster: state)
                })
            }
            let response = try await ResourceHandler(sim: sim, bookmarkInterval: bookmarkInterval)
                .respond(to: target, request: request, legacyWatch: legacyWatch)
            if case .delay(let duration)? = fault { try? await Task.sleep(for: duration) }
            return response
        case .serviceProxy(let namespace, let service, let proxyPath):
            let name = ServiceProxyTarget(service).name
            let target = ResourceRequest(type: .service, namespace: namespace, name: name, subresource: "proxy",
                                         query: Query(request.uri), accept: accept)
            try access.authorize(caller, method: request.method, target: target, legacyWatch: false, in: sim)
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
    private static func openAPI(_ document: String, accept: String, catalog: ResourceCatalog) throws(APIError) -> Response {
        switch document {
        case "v3": return json(OpenAPIDocument.index(catalog))
        case "v2":
            guard accept.isEmpty || accept.contains("application/json") || accept.contains("*/*") else {
                throw APIError.notAcceptable
            }
            return json(OpenAPIDocument.v2(catalog))
        default:
            guard document.hasPrefix("v3/"),
                  let body = OpenAPIDocument.document(v3: String(document.dropFirst(3)), catalog: catalog) else {
                throw APIError.unknownPath
            }
            return json(body)
        }
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
}
