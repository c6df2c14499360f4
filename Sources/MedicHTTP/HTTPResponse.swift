import Foundation

/// A complete response. Header names are lowercased so lookups do not depend on how a
/// server spelled them; repeated headers are joined with ", " as RFC 9110 allows.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
