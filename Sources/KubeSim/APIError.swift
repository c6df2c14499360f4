import MedicKube
/// A failed API call, shaped exactly as the apiserver's `metav1.Status` so that kubectl prints
/// `Error from server (<reason>): <message>` just as it would against a real cluster.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Cause: Sendable, Equatable {
        public var reason: String
        public var message: String
        public var field: String
    }

    public var code: Int
    public var reason: String
    public var message: String
    public var name: String?
    public var group: String?
    /// The plural resource for NotFound/Conflict/AlreadyExists, the Kind for Invalid.
    public var kind: String?
    public var causes: [Cause] = []
    /// Sends `"details":{}` even with nothing in it, as `NewGenericServerResponse` does (its
    /// `Details` is a non-nil empty struct): the 422 of a JSON patch that does not apply.
    public var keepsEmptyDetails = false

    public var description: String { "\(code) \(reason): \(message)" }

    public var status: JSON {
        var details: [String: JSON] = [:]
        if let name { details["name"] = .string(name) }
        if let group { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map {
                .object(["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)])
            })
        }
        var status: [String: JSON] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "code": .int(Int64(code)),
        ]
        // An error the apiserver did not classify (a 500 from structured merge) has no reason.
        if !reason.isEmpty { status["reason"] = .string(reason) }
        if !details.isEmpty || keepsEmptyDetails { status["details"] = .object(details) }
        return .object(status)
    }

    static func notFound(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.groupResource) \"\(name)\" not found",
                 name: name, group: type.group, kind: type.plural)
    }

    static func alreadyExists(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.groupResource) \"\(name)\" already exists",
                 name: name, group: type.group, kind: type.plural)
    }

    static func conflict(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(type.groupResource) \"\(name)\": the object has been "
                     + "modified; please apply your changes to the latest version and try again",
                 name: name, group: type.group, kind: type.plural)
    }

    static func invalid(_ type: ResourceType, _ name: String, _ causes: [Cause]) -> APIError {
        let summary = causes.map { "\($0.field): \($0.message)" }
        let joined = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        return APIError(code: 422, reason: "Invalid", message: "\(type.groupKind) \"\(name)\" is invalid: \(joined)",
                        name: name, group: type.group, kind: type.kind, causes: causes)
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func forbidden(_ message: String) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message)
    }

    static let methodNotAllowed = APIError(
        code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")

    static let notAcceptable = APIError(
        code: 406, reason: "NotAcceptable",
        message: "only the following media types are accepted: application/json, application/yaml")

    static let unknownPath = APIError(
        code: 404, reason: "NotFound", message: "the server could not find the requested resource")

    static func unsupportedMediaType(_ contentType: String) -> APIError {
        unsupportedPatchType(strategic: true).with(contentTypeNote: contentType)
    }

    /// A patch type the resource does not take: a custom resource has no strategic-merge
    /// schema, so its list of accepted types lacks that one (kubectl then names the kind).
    static func unsupportedPatchType(strategic: Bool) -> APIError {
        let accepted = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            + (strategic ? ["application/strategic-merge-patch+json"] : [])
        return APIError(code: 415, reason: "UnsupportedMediaType",
                        message: "the body of the request was in an unknown format - accepted media types include: "
                            + accepted.joined(separator: ", "))
    }

    static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    private func with(contentTypeNote contentType: String) -> APIError {
        var copy = self
        if !contentType.isEmpty { copy.message = "\(contentType) is not supported: " + message }
        return copy
    }
}

extension APIError.Cause {
    static func required(_ field: String) -> Self {
        .init(reason: "FieldValueRequired", message: "Required value", field: field)
    }

    static func invalid(_ field: String, _ value: String, _ detail: String) -> Self {
        .init(reason: "FieldValueInvalid", message: "Invalid value: \(value): \(detail)", field: field)
    }
}
