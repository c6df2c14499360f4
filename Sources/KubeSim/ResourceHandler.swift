import Foundation
import Hummingbird
import MedicKube
import NIOCore

/// The verbs on `/api` and `/apis` objects: get, list (paged, or as a Table), create,
/// replace, patch (strategic, merge, JSON, server-side apply), the scale and status
/// subresources, delete and deletecollection; watches and logs go to their handlers.
struct ResourceHandler: Sendable {
    let sim: KubeSim
    let bookmarkInterval: Duration

    func respond(to target: ResourceRequest, request: Request, legacyWatch: Bool) async throws -> Response {
        let type = target.type
        let namespace = target.namespace ?? ""
        if type.custom != nil { try Self.checkCustom(target) }
        switch (request.method, target.name, target.subresource) {
        case (.get, nil, nil):
            if legacyWatch || target.query.flag("watch") {
                return try WatchHandler(sim: sim, bookmarkInterval: bookmarkInterval).respond(to: target)
            }
            return try list(target)
        case (.get, let name?, nil):
            guard let object = sim.get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
            return respond(object: object, target: target)
        case (.get, let name?, "scale") where type.subresources.contains("scale"):
            return APIResponder.json(try sim.state.withLock { state throws(APIError) in try state.scale(type, namespace: namespace, name: name) })
        case (.get, let name?, "status") where type.subresources.contains("status"):
            guard let object = sim.get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
            return APIResponder.json(object)
        case (.get, let name?, "log") where type == .pod:
            return try PodLogHandler(sim: sim).respond(pod: name, target: target)
        case (.post, nil, nil):
            let body = try await RequestContent.json(request)
            let warnings = try FieldValidation(target.query["fieldValidation"]).check(body: body, type: type)
            let dryRun = target.query.dryRun
            let manager = RequestContent.fieldManager(request, query: target.query)
            let created = try sim.state.withLock { state throws(APIError) in
                try state.create(type, namespace: namespace, body: body, dryRun: dryRun, manager: manager)
            }
            return APIResponder.json(created, status: 201, warnings: warnings)
        case (.put, let name?, nil), (.put, let name?, "status"):
            let body = try await RequestContent.json(request)
            let warnings = try FieldValidation(target.query["fieldValidation"]).check(body: body, type: type)
            let dryRun = target.query.dryRun
            let manager = RequestContent.fieldManager(request, query: target.query)
            let updated = try sim.state.withLock { state throws(APIError) in
                try state.replace(type, namespace: namespace, name: name, body: body, subresource: target.subresource,
                                  dryRun: dryRun, manager: manager)
            }
            return APIResponder.json(updated, warnings: warnings)
        case (.put, let name?, "scale") where type.subresources.contains("scale"):
            let body = try await RequestContent.json(request)
            let dryRun = target.query.dryRun
            let manager = RequestContent.fieldManager(request, query: target.query)
            return APIResponder.json(try sim.state.withLock { state throws(APIError) in
                try state.updateScale(type, namespace: namespace, name: name, patch: nil, patchType: nil, body: body,
                                      dryRun: dryRun, manager: manager)
            })
        case (.patch, let name?, let subresource) where subresource == nil || subresource == "status"
            || (subresource == "scale" && type.subresources.contains("scale")):
            let contentType = request.headers[.contentType] ?? ""
            let dryRun = target.query.dryRun
            let manager = RequestContent.fieldManager(request, query: target.query)
            if RequestContent.mediaType(contentType) == "application/apply-patch+yaml", subresource != "scale" {
                let configuration = try await RequestContent.apply(request)
                let apply = ClusterState.ApplyRequest(manager: target.query["fieldManager"] ?? "",
                                                      force: target.query.flag("force"), dryRun: dryRun,
                                                      subresource: subresource)
                let result = try sim.state.withLock { state throws(APIError) in
                    try state.apply(type, namespace: namespace, name: name, configuration: configuration, request: apply)
                }
                return APIResponder.json(result.object, status: result.created ? 201 : 200)
            }
            let patchType = try RequestContent.patchType(contentType)
            if patchType == .strategicMerge, type.custom != nil { throw APIError.unsupportedPatchType(strategic: false) }
            let patch = try await RequestContent.json(request)
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
            return APIResponder.json(result, warnings: subresource == "scale" ? [] : warnings)
        case (.delete, let name?, nil):
            let options = DeleteOptions(body: try await RequestContent.json(request, emptyIs: [:]), query: target.query)
            return APIResponder.json(try sim.state.withLock { state throws(APIError) in
                try state.delete(type, namespace: namespace, name: name, options: options)
            })
        case (.delete, nil, nil):
            let options = DeleteOptions(dryRun: target.query.dryRun)
            let selection = try target.query.selectors()
            let removed = try sim.state.withLock { state throws(APIError) in
                var removed: [JSON] = []
                for object in state.list(type, namespace: target.namespace, labels: selection.labels, fields: selection.fields) {
                    _ = try state.delete(type, namespace: ClusterState.namespace(object), name: ClusterState.name(object),
                                         options: options)
                    removed.append(object)
                }
                return removed
            }
            return APIResponder.json(["kind": .string(type.listKind), "apiVersion": .string(type.apiVersion),
                                      "metadata": ["resourceVersion": .string(sim.resourceVersion)], "items": .array(removed)])
        default:
            throw APIError.methodNotAllowed
        }
    }

    /// What the apiserver's custom-resource handler refuses before anything else: a
    /// subresource the CRD does not define (no such path), a field selector on anything
    /// but the object's name and namespace.
    private static func checkCustom(_ target: ResourceRequest) throws(APIError) {
        if let subresource = target.subresource, !target.type.subresources.contains(subresource) {
            throw APIError.unknownPath
        }
        for term in try target.query.selectors().fields.terms {
            let label = term.path.joined(separator: ".")
            guard label == "metadata.name" || label == "metadata.namespace" else {
                throw APIError.badRequest("field label not supported: \(label)")
            }
        }
    }

    private func respond(object: JSON, target: ResourceRequest) -> Response {
        guard target.wantsTable else { return APIResponder.json(object) }
        let renderer = TableRenderer(now: sim.state.withLock { $0.clock() })
        return APIResponder.json(renderer.table(target.type, objects: [object],
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
            return APIResponder.json(TableRenderer(now: now).table(target.type, objects: page, listMetadata: metadata,
                                                                   includeObject: target.query["includeObject"] ?? "Metadata"))
        }
        return APIResponder.json(["kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion),
                                  "metadata": metadata, "items": .array(page)])
    }
}
