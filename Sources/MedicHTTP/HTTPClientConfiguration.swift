import Foundation

/// Everything that is the same for all requests to one endpoint (an API server, a Prometheus).
public struct HTTPClientConfiguration: Sendable {
    /// Bound on TCP connect plus TLS handshake.
    public var connectTimeout: Duration
    /// Bound on a whole `send`, from start to the last body byte.
    public var totalTimeout: Duration
    public var tls: TLSOptions
    /// Sent as `Authorization: Bearer …` unless the request sets `Authorization` itself.
    public var bearerToken: String?
    public var proxy: ProxySettings
    /// Bound on a buffered response body; a larger one fails with `tooLarge` instead of
    /// growing medic's memory without end. A page of a paginated LIST is a few megabytes.
    /// Streamed bodies (watches) are read in chunks and are not bounded by it.
    public var maxBodyBytes: Int

    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30),
        tls: TLSOptions = TLSOptions(),
        bearerToken: String? = nil,
        proxy: ProxySettings = .fromEnvironment(),
        maxBodyBytes: Int = 256 << 20
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.tls = tls
        self.bearerToken = bearerToken
        self.proxy = proxy
        self.maxBodyBytes = maxBodyBytes
    }
}
