/// How `KubeSim.start` serves: port, optional TLS, and what a caller must present.
public struct ServerOptions: Sendable {
    /// Files for serving HTTPS. kubectl sends credentials only over TLS, so authentication
    /// needs this.
    public struct TLS: Sendable {
        /// PEM server certificate (chain). The kubeconfig writer embeds it as the trusted CA,
        /// so include the issuing CA when the certificate is not self-signed.
        public var certificateFile: String
        public var privateKeyFile: String
        /// PEM CA bundle: clients presenting a certificate it signed are authenticated.
        public var clientCAFile: String?

        public init(certificateFile: String, privateKeyFile: String, clientCAFile: String? = nil) {
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
            self.clientCAFile = clientCAFile
        }
    }

    /// 0 picks a free port; `RunningKubeSim.port` tells which.
    public var port: Int
    public var tls: TLS?
    /// When set, requests must carry `Authorization: Bearer <token>` (or a client certificate
    /// when `tls.clientCAFile` is set). Anonymous requests get 401 Unauthorized.
    public var bearerToken: String?
    /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK event.
    public var bookmarkInterval: Duration
    /// Service-account tokens whose requests RBAC judges (see `RBACAuthorizer`); nil: no RBAC.
    public var rbac: RBACAuthorizer?

    public init(port: Int = 0, tls: TLS? = nil, bearerToken: String? = nil, bookmarkInterval: Duration = .seconds(5),
                rbac: RBACAuthorizer? = nil) {
        self.port = port
        self.tls = tls
        self.bearerToken = bearerToken
        self.bookmarkInterval = bookmarkInterval
        self.rbac = rbac
    }
}
