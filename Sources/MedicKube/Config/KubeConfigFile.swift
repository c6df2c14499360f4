import Foundation

/// One kubeconfig file as written (`clusters`, `contexts`, `users`, `current-context`), before
/// merging. Field names are the kubeconfig's own so decoding errors can name them.
struct KubeConfigFile: Decodable {
    var currentContext: String?
    var clusters: [NamedCluster]?
    var contexts: [NamedContext]?
    var users: [NamedUser]?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters, contexts, users
    }

    struct NamedCluster: Decodable {
        var name: String
        var cluster: KubeCluster?
    }

    struct NamedContext: Decodable {
        var name: String
        var context: KubeContext?
    }

    struct NamedUser: Decodable {
        var name: String
        var user: KubeUser?
    }
}

/// Where and how to reach an API server (`clusters[].cluster`).
public struct KubeCluster: Decodable, Sendable, Hashable {
    public var server: String?
    public var certificateAuthority: String?
    public var certificateAuthorityData: String?
    public var insecureSkipTLSVerify: Bool?
    public var tlsServerName: String?
    public var proxyURL: String?

    enum CodingKeys: String, CodingKey {
        case server
        case certificateAuthority = "certificate-authority"
        case certificateAuthorityData = "certificate-authority-data"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case tlsServerName = "tls-server-name"
        case proxyURL = "proxy-url"
    }
}

/// A cluster, a user and a default namespace, under one name (`contexts[].context`).
public struct KubeContext: Decodable, Sendable, Hashable {
    public var cluster: String?
    public var user: String?
    public var namespace: String?
}

/// How to prove who medic is (`users[].user`).
public struct KubeUser: Decodable, Sendable, Hashable {
    public var clientCertificate: String?
    public var clientCertificateData: String?
    public var clientKey: String?
    public var clientKeyData: String?
    public var token: String?
    public var tokenFile: String?
    public var username: String?
    public var password: String?
    public var impersonate: String?
    public var authProvider: AuthProvider?
    public var exec: ExecConfig?

    enum CodingKeys: String, CodingKey {
        case clientCertificate = "client-certificate"
        case clientCertificateData = "client-certificate-data"
        case clientKey = "client-key"
        case clientKeyData = "client-key-data"
        case token, tokenFile, username, password
        case impersonate = "as"
        case authProvider = "auth-provider"
        case exec
    }

    /// The legacy in-tree auth providers (gcp, azure, oidc); only its name is read, to say it
    /// is unsupported.
    public struct AuthProvider: Decodable, Sendable, Hashable {
        public var name: String?
    }
}

/// An exec credential plugin (`users[].user.exec`): a command that prints an ExecCredential.
public struct ExecConfig: Decodable, Sendable, Hashable {
    public var apiVersion: String?
    public var command: String?
    public var args: [String]?
    public var env: [Variable]?
    public var interactiveMode: String?
    public var provideClusterInfo: Bool?
    public var installHint: String?

    public struct Variable: Decodable, Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public init(
        apiVersion: String? = nil, command: String? = nil, args: [String]? = nil, env: [Variable]? = nil,
        interactiveMode: String? = nil, provideClusterInfo: Bool? = nil, installHint: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.interactiveMode = interactiveMode
        self.provideClusterInfo = provideClusterInfo
        self.installHint = installHint
    }
}
