/// Why a patch could not be applied, phrased as the Kubernetes API server phrases it so the
/// server can put `message` straight into a `Status` and kubectl prints what it would print
/// against a real cluster.
public struct PatchError: Error, Sendable, CustomStringConvertible {
    /// The `Status.reason` the API server uses; `rawValue` is the wire spelling.
    public enum Reason: String, Sendable {
        /// 400: the patch document itself is malformed (wrong JSON shape, bad directive format).
        case badRequest = "BadRequest"
        /// 422: the patch is well-formed but does not apply to this object (JSON patch path or test failures).
        case invalid = "Invalid"
    }

    public var reason: Reason
    /// The `Status.message`, byte for byte what the API server sends.
    public var message: String
    /// What actually went wrong when the API server hides it behind a generic message
    /// (JSON patch failures); nil when `message` already says it. Meant for logs.
    public var detail: String?

    public init(reason: Reason, message: String, detail: String? = nil) {
        self.reason = reason
        self.message = message
        self.detail = detail
    }

    /// The HTTP status code that goes with `reason`.
    public var code: Int {
        switch reason {
        case .badRequest: 400
        case .invalid: 422
        }
    }

    public var description: String {
        if let detail { "\(reason.rawValue): \(message) (\(detail))" } else { "\(reason.rawValue): \(message)" }
    }

    static func badRequest(_ message: String) -> PatchError {
        PatchError(reason: .badRequest, message: message)
    }

    /// The API server wraps every JSON patch application failure, a failed `test` op included,
    /// in this generic 422 (`NewGenericServerResponse(422, …)` drops the library's text and
    /// sends `"details":{}`); kubectl prints it as `The request is invalid: <message>`.
    static func rejected(_ detail: String) -> PatchError {
        PatchError(
            reason: .invalid,
            message: "the server rejected our request due to an error in our request",
            detail: detail
        )
    }
}
