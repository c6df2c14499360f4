import MedicKube
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Failures a real API server produces under load or contention, on demand: a test says
/// which request fails how, and how many times, so it can check what a client does with a
/// 429, a 500, a Conflict or a request that times out after it was applied.
public struct Fault: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Answer with this status and a matching `Status` body, without handling the request.
        /// With `retryAfter`, also the `Retry-After` header and `details.retryAfterSeconds`.
        case status(Int, retryAfter: Int? = nil)
        /// Handle the request normally, but answer only after this long: a client with a
        /// shorter timeout sees no response although the change was made.
        case delay(Duration)
    }

    public var kind: Kind
    /// `GET`, `PATCH`, …
    public var method: String
    /// The exact request path, e.g. `/apis/apps/v1/namespaces/shop/deployments/api`.
    public var path: String
    /// Only requests with (true) or without (false) `dryRun=All` in the query; nil: both.
    public var dryRun: Bool?
    /// How many matching requests it hits before it is used up.
    public var count: Int
}

/// The faults still armed, checked in the order they were injected.
struct FaultInjection: Sendable {
    var faults: [Fault] = []

    /// The first armed fault matching the request, used up by one.
    mutating func take(method: String, path: String, dryRun: Bool) -> Fault.Kind? {
        guard let index = faults.firstIndex(where: {
            $0.method == method && $0.path == path && ($0.dryRun == nil || $0.dryRun == dryRun)
        }) else { return nil }
        let kind = faults[index].kind
        faults[index].count -= 1
        if faults[index].count <= 0 { faults.remove(at: index) }
        return kind
    }

    static func response(status code: Int, retryAfter: Int?) -> Response {
        let reasons = [409: "Conflict", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout"]
        let reason = reasons[code] ?? "Unknown"
        var status: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string("injected fault: \(code) \(reason)"), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if let retryAfter { status["details"] = ["retryAfterSeconds": .int(Int64(retryAfter))] }
        var response = APIResponder.json(status, status: code)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

extension KubeSim {
    /// Arms a fault for the next `count` requests matching `method` and `path` (and `dryRun`,
    /// when given). Faults apply to HTTP requests only, not to the store methods.
    public func injectFault(_ kind: Fault.Kind, method: String, path: String, dryRun: Bool? = nil, count: Int = 1) {
        faults.withLock { $0.faults.append(Fault(kind: kind, method: method, path: path, dryRun: dryRun, count: count)) }
    }

    /// Disarms every fault not yet used up.
    public func clearFaults() {
        faults.withLock { $0.faults = [] }
    }

    /// Faults injected and not yet used up.
    public var armedFaults: [Fault] {
        faults.withLock { $0.faults }
    }
}
