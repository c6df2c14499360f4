import Foundation

/// One HTTP request as medic's callers (Kubernetes reader/writer, Prometheus client) build it:
/// plain values, so a request can be logged, audited and retried without touching libcurl.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data?
    /// Overrides the client's total timeout for this request. For `HTTPClient.stream(_:)` it is
    /// the only total bound, because a watch is meant to stay open.
    public var timeout: Duration?

    public init(
        method: String = "GET",
        url: String,
        headers: [String: String] = [:],
        body: Data? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
