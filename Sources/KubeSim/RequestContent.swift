import Foundation
import Hummingbird
import MedicKube
import NIOCore

/// Reading what a request carries: JSON bodies, apply configurations, access reviews in
/// protobuf, the patch type and field manager its headers name.
enum RequestContent {
    static func json(_ request: Request, emptyIs empty: JSON? = nil) async throws -> JSON {
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

    /// An apply body: JSON (what kubectl sends) or YAML.
    static func apply(_ request: Request) async throws -> JSON {
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 16 << 20))
        if let json = try? JSON(parsing: data), json.object != nil { return json }
        guard let object = try? ManifestLoader.documents(in: String(decoding: data, as: UTF8.self), source: "apply").first else {
            throw APIError.badRequest("error decoding YAML: the apply body is not a YAML or JSON object")
        }
        return object
    }

    /// A review body: JSON, or the protobuf kubectl's typed client sends.
    static func review(_ request: Request, type: ResourceType) async throws -> JSON {
        guard mediaType(request.headers[.contentType] ?? "") == ProtobufReview.contentType else {
            return try await json(request)
        }
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
        guard let review = ProtobufReview.decode(data, as: type) else {
            throw APIError.badRequest("the request body is not a \(type.kind) in protobuf")
        }
        return review
    }

    /// The request's `fieldManager`, else what the apiserver derives from the User-Agent
    /// (up to its first `/`).
    static func fieldManager(_ request: Request, query: Query) -> String {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        return (request.headers[.userAgent] ?? "").split(separator: "/").first.map(String.init) ?? "unknown"
    }

    static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    static func patchType(_ contentType: String) throws(APIError) -> PatchType {
        let mediaType = mediaType(contentType)
        switch mediaType {
        case "application/strategic-merge-patch+json": return .strategicMerge
        case "application/merge-patch+json": return .merge
        case "application/json-patch+json": return .json
        default: throw APIError.unsupportedMediaType(mediaType)
        }
    }
}
