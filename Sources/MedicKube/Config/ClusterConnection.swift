import Foundation
import MedicHTTP

/// Everything needed to talk to one API server, however it was found (kubeconfig context or
/// in-cluster service account). Credentials that change (token files, exec plugins) are
/// resolved per request by `httpConfiguration()`, so a long-running medic follows rotation.
public struct ClusterConnection: Sendable {
    /// Where bearer tokens or client certificates come from.
    public enum Credentials: Sendable {
        case none
        case token(String)
        /// Re-read on every request: service-account tokens rotate underneath a running pod.
        case tokenFile(TokenFile)
        case exec(ExecCredentialPlugin)
    }

    /// The API server's base URL, without a trailing slash: `https://10.0.0.1:6443`.
    public var server: String
    /// The context's namespace, `default` when it sets none.
    public var namespace: String
    public var tls: TLSOptions
    public var proxy: ProxySettings
    public var credentials: Credentials
    /// Where this came from, for messages: `context "prod" of ~/.kube/config`, `in-cluster service account`.
    public var origin: String
    /// Sent as `User-Agent`: `medic`, or `medic (NAME)` for a replica of `medic run`, so the
    /// API server's audit log tells replicas apart.
    public var userAgent = "medic"

    public init(
        server: String,
        namespace: String = "default",
        tls: TLSOptions = TLSOptions(),
        proxy: ProxySettings = .fromEnvironment(),
        credentials: Credentials = .none,
        origin: String = ""
    ) {
        self.server = server
        self.namespace = namespace
        self.tls = tls
        self.proxy = proxy
        self.credentials = credentials
        self.origin = origin
    }

    /// True when credentials may be sent: like kubectl, medic never sends a token or runs a
    /// credential plugin for a plain-http server.
    public var isSecure: Bool { server.hasPrefix("https://") }

    /// The HTTP settings for the next request, with current credentials.
    public func httpConfiguration(
        connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30)
    ) async throws(KubeConfigError) -> HTTPClientConfiguration {
        var configuration = HTTPClientConfiguration(
            connectTimeout: connectTimeout, totalTimeout: totalTimeout, tls: tls, proxy: proxy
        )
        guard isSecure else { return configuration }
        switch credentials {
        case .none:
            break
        case .token(let token):
            configuration.bearerToken = token
        case .tokenFile(let file):
            configuration.bearerToken = try file.token()
        case .exec(let plugin):
            let credential = try await plugin.credential()
            configuration.bearerToken = credential.token
            if let certificate = credential.clientCertificateData, let key = credential.clientKeyData {
                configuration.tls.clientCertificateData = certificate
                configuration.tls.clientKeyData = key
            }
        }
        return configuration
    }

    /// Called after a 401: the next request runs the exec plugin again instead of reusing a
    /// cached credential the server no longer accepts. Token files are re-read anyway.
    public func credentialsRejected() async {
        if case .exec(let plugin) = credentials {
            await plugin.invalidate()
        }
    }
}
