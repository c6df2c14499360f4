import Foundation

/// Why a request got no usable response. The code is for callers deciding what to do
/// (retry, report unreachable, give up); the description is for the human reading it and
/// always names the method, the URL and what libcurl said.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case couldNotConnect
        case timedOut
        case tls
        case invalidURL
        case cancelled
        /// Only from `HTTPClient.stream(_:)`: the server answered with a non-2xx status,
        /// which is in `response` together with the body.
        case httpStatus
        /// The response body was larger than the configuration's `maxBodyBytes`.
        case tooLarge
        case other
    }

    public var code: Code
    public var method: String
    public var url: String
    public var message: String
    public var response: HTTPResponse?

    public init(code: Code, method: String, url: String, message: String, response: HTTPResponse? = nil) {
        self.code = code
        self.method = method
        self.url = url
        self.message = message
        self.response = response
    }

    public var description: String {
        let what: String
        switch code {
        case .couldNotConnect: what = "could not connect"
        case .timedOut: what = "timed out"
        case .tls: what = "TLS failure"
        case .invalidURL: what = "invalid URL"
        case .cancelled: what = "cancelled"
        case .httpStatus: what = "HTTP status \(response?.status ?? 0)"
        case .tooLarge: what = "response too large"
        case .other: what = "failed"
        }
        return "\(method) \(url): \(what): \(message)"
    }
}
