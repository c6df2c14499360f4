import Foundation
import MedicHTTP

/// Why an API request failed, decoded from the server's `Status` when there is one. The
/// description says what medic was trying to do and what to do about it:
/// `medic cannot list pods in namespace "shop": forbidden (pods is forbidden: User "…" cannot list …)`.
public struct KubeAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case notFound, alreadyExists, conflict, forbidden, invalid, tooManyRequests, unauthorized
        /// 410: a resourceVersion or continue token is too old (reason `Expired` or `Gone`); list again.
        case gone
        /// Any other HTTP error status.
        case other
        /// No HTTP response at all: connection, TLS, timeout.
        case unreachable
        /// A 2xx response medic could not read.
        case badResponse
        /// Credentials could not be obtained (token file, exec plugin).
        case credentials
        /// Not sent: the writer's `WriteFence` refused it (this replica no longer leads).
        case fenced
    }

    public var code: Code
    /// `list`, `get`, `watch`, `patch`, `create`, `update`, `delete`, `logs`.
    public var verb: String
    /// `pods`, `deployments.apps`.
    public var resource: String
    public var namespace: String?
    public var name: String?
    public var server: String
    public var httpStatus: Int?
    /// The Status `reason` (`NotFound`, `Expired`, …).
    public var reason: String?
    /// The server's own message, or what went wrong on the way.
    public var message: String
    /// Field errors of an `Invalid` response.
    public var causes: [KubeStatus.Cause]
    /// Seconds to wait before retrying, from `Retry-After` or `details.retryAfterSeconds`.
    public var retryAfterSeconds: Int?

    public init(
        code: Code, verb: String, resource: String, namespace: String? = nil, name: String? = nil, server: String,
        httpStatus: Int? = nil, reason: String? = nil, message: String, causes: [KubeStatus.Cause] = [],
        retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.verb = verb
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.server = server
        self.httpStatus = httpStatus
        self.reason = reason
        self.message = message
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Decodes an error response: the Status body when there is one, else the status code.
    init(response: HTTPResponse, request: KubeRequest, server: String) {
        let status = KubeStatus.decode(response.body)
        let code = status?.code ?? response.status
        let reason = status?.reason
        let kind: Code
        switch (code, reason) {
        case (401, _): kind = .unauthorized
        case (403, _): kind = .forbidden
        case (404, _): kind = .notFound
        case (409, "AlreadyExists"): kind = .alreadyExists
        case (409, _): kind = .conflict
        case (410, _), (_, "Expired"), (_, "Gone"): kind = .gone
        case (422, _): kind = .invalid
        case (429, _): kind = .tooManyRequests
        default: kind = .other
        }
        let body = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let header = response.headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        self.init(
            code: kind, verb: request.verb, resource: request.resource.groupResource, namespace: request.namespace,
            name: request.name, server: server, httpStatus: response.status, reason: reason,
            message: status?.message ?? (body.isEmpty ? "HTTP \(response.status)" : body),
            causes: status?.details?.causes ?? [],
            retryAfterSeconds: header ?? status?.details?.retryAfterSeconds
        )
    }

    /// A Status that arrived as a watch `ERROR` event.
    init(status: KubeStatus, request: KubeRequest, server: String) {
        let body = (try? JSONEncoder().encode(status)) ?? Data()
        self.init(response: HTTPResponse(status: status.code ?? 500, body: body), request: request, server: server)
    }

    /// What medic was doing: `list pods in namespace "shop"`, `get deployments.apps "web" in namespace "shop"`.
    public var operation: String {
        var target = resource
        if let name { target += " \(KubeJSON.quoted(name))" }
        if let namespace {
            target += " in namespace \(KubeJSON.quoted(namespace))"
        } else if name == nil, verb == "list" || verb == "watch" {
            target += " in all namespaces"
        }
        return "\(verb) \(target)"
    }

    /// Secrets masked: the server's message can quote a request's body (an `Invalid` env value).
    public var description: String {
        Redaction.redact(explanation)
    }

    private var explanation: String {
        let prefix = "medic cannot \(operation)"
        switch code {
        case .forbidden:
            return "\(prefix): forbidden (\(message))"
        case .notFound:
            return "\(prefix): not found (\(message))"
        case .alreadyExists:
            return "\(prefix): it already exists (\(message))"
        case .conflict where causes.isEmpty:
            return "\(prefix): conflict, the object changed since it was read; read it again and retry (\(message))"
        case .conflict, .invalid:
            let what = code == .conflict ? "conflict" : "invalid"
            guard !causes.isEmpty else { return "\(prefix): \(what) (\(message))" }
            let fields = causes.map { cause in
                [cause.field, cause.message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            }
            return "\(prefix): \(what): \(fields.joined(separator: "; "))"
        case .tooManyRequests:
            let wait = retryAfterSeconds.map { "; retry after \($0) s" } ?? "; retry later"
            return "\(prefix): the API server is rate-limiting requests (429)\(wait) (\(message))"
        case .unauthorized:
            return "\(prefix): the API server at \(server) rejected medic's credentials (401 \(message)); "
                + "check the kubeconfig user's token, certificate or exec plugin, or that the service-account token is still valid"
        case .gone:
            return "\(prefix): the resourceVersion or continue token is too old (410 \(reason ?? "Gone")): \(message); list again"
        case .other:
            return "\(prefix): HTTP \(httpStatus.map(String.init) ?? "?")\(reason.map { " \($0)" } ?? "") (\(message))"
        case .unreachable:
            return "\(prefix): cannot reach the API server at \(server): \(message)"
        case .badResponse:
            return "\(prefix): the API server at \(server) sent a response medic cannot read: \(message)"
        case .credentials:
            return "\(prefix): cannot get credentials: \(message)"
        case .fenced:
            return "\(prefix): not sent, this replica may no longer lead: \(message)"
        }
    }
}
