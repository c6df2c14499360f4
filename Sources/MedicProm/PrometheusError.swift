import Foundation

/// Why a query has no result. Every case says which Prometheus and which query, because the
/// reader is usually looking at one failed runbook condition among many.
public struct PrometheusError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No HTTP exchange happened: connection refused, DNS, TLS, bad URL. The text is libcurl's.
        case unreachable(String)
        /// No complete answer within the client's timeout.
        case timeout(Duration)
        /// The calling task was cancelled.
        case cancelled
        /// A non-2xx answer that is not a Prometheus API error body (e.g. from a proxy).
        case httpStatus(Int, body: String)
        /// Prometheus refused or failed the query: bad_data (syntax), execution, timeout, …
        case api(errorType: String, error: String)
        /// A 2xx answer medic cannot read as a query result.
        case badResponse(String)
    }

    public var kind: Kind
    /// The API endpoint, without the query string.
    public var url: String
    public var query: String

    public init(kind: Kind, url: String, query: String) {
        self.kind = kind
        self.url = url
        self.query = query
    }

    public var description: String {
        let subject = "Prometheus query `\(query)` at \(url)"
        switch kind {
        case .unreachable(let reason):
            return "\(subject): Prometheus is unreachable: \(reason)"
        case .timeout(let limit):
            return "\(subject): no answer within \(limit)"
        case .cancelled:
            return "\(subject): cancelled"
        case .httpStatus(let status, let body):
            return "\(subject): HTTP \(status) without a Prometheus error body: \(body)"
        case .api(let errorType, let error):
            return "\(subject): Prometheus rejected it (\(errorType)): \(error)"
        case .badResponse(let reason):
            return "\(subject): unreadable response: \(reason)"
        }
    }
}
