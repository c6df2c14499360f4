import Foundation
import MedicHTTP

/// Asks a Prometheus server to evaluate PromQL. medic never evaluates PromQL itself: the real
/// Prometheus decides, and every failure comes back as a `PrometheusError` so that a rule
/// condition becomes "unknown", never silently false.
public struct PrometheusClient: Sendable {
    public let baseURL: String
    public let timeout: Duration
    private let http: HTTPClient

    /// - Parameters:
    ///   - http: for TLS, bearer token or proxy settings; by default a plain client that
    ///     follows the proxy environment.
    ///   - timeout: bound on each query, whatever the HTTP client's own total timeout.
    public init(baseURL: String, http: HTTPClient? = nil, timeout: Duration = .seconds(10)) {
        var base = baseURL
        while base.hasSuffix("/") {
            base.removeLast()
        }
        self.baseURL = base
        self.timeout = timeout
        self.http = http ?? HTTPClient(configuration: HTTPClientConfiguration(totalTimeout: timeout))
    }

    /// An instant query evaluated at `time` (`GET /api/v1/query`).
    public func query(_ promql: String, at time: Date) async throws(PrometheusError) -> QueryResult {
        try await get("/api/v1/query", promql: promql, parameters: [("time", Self.timestamp(time))])
    }

    /// A range query (`GET /api/v1/query_range`); always a matrix.
    public func queryRange(
        _ promql: String, from start: Date, to end: Date, step: Duration
    ) async throws(PrometheusError) -> QueryResult {
        let stepSeconds = Double(step.components.seconds) + Double(step.components.attoseconds) / 1e18
        return try await get("/api/v1/query_range", promql: promql, parameters: [
            ("start", Self.timestamp(start)), ("end", Self.timestamp(end)), ("step", String(stepSeconds)),
        ])
    }

    private func get(
        _ path: String, promql: String, parameters: [(String, String)]
    ) async throws(PrometheusError) -> QueryResult {
        let endpoint = baseURL + path
        let query = ([("query", promql)] + parameters)
            .map { "\($0.0)=\(Self.percentEncoded($0.1))" }
            .joined(separator: "&")
        let failure = { (kind: PrometheusError.Kind) in PrometheusError(kind: kind, url: endpoint, query: promql) }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(
                url: endpoint + "?" + query, headers: ["Accept": "application/json"], timeout: timeout
            ))
        } catch {
            switch error.code {
            case .timedOut: throw failure(.timeout(timeout))
            case .cancelled: throw failure(.cancelled)
            default: throw failure(.unreachable(error.message))
            }
        }
        switch QueryResponse.parse(response.body, status: response.status) {
        case .result(let result): return result
        case .failure(let kind): throw failure(kind)
        }
    }

    /// Unix seconds with milliseconds, the resolution Prometheus keeps.
    static func timestamp(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
