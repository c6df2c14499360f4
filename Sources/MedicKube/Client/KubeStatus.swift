import Foundation

/// The API's `Status` object: the body of every error response and of some DELETEs.
public struct KubeStatus: Codable, Sendable, Hashable {
    public var kind: String?
    public var apiVersion: String?
    /// `Failure` or `Success`.
    public var status: String?
    public var message: String?
    /// `NotFound`, `Forbidden`, `Invalid`, `Expired`, …
    public var reason: String?
    public var details: Details?
    public var code: Int?

    public struct Details: Codable, Sendable, Hashable {
        public var name: String?
        public var group: String?
        /// The resource (plural) for most reasons, the Kind for `Invalid`.
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?
    }

    /// One field's problem in an `Invalid` (or SSA `Conflict`) error.
    public struct Cause: Codable, Sendable, Hashable {
        public var reason: String?
        public var message: String?
        public var field: String?

        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// A `Status` when `data` is one; error pages from proxies are not.
    static func decode(_ data: Data) -> KubeStatus? {
        guard let status = try? JSONDecoder().decode(KubeStatus.self, from: data), status.kind == "Status" else { return nil }
        return status
    }
}
