import Foundation
import MedicHTTP
import Yams

/// One or more kubeconfig files merged the way kubectl merges `$KUBECONFIG`: for each
/// cluster, context and user name the first file that defines it wins, and `current-context`
/// comes from the first file that sets it. Every entry remembers its file and index, so an
/// error can say exactly where to look.
public struct KubeConfig: Sendable {
    /// An entry together with where it was written.
    public struct Located<Value: Sendable>: Sendable {
        public var value: Value
        /// The file as shown to people, `~` for the home directory.
        public var file: String
        /// The directory relative paths in this entry resolve against.
        public var directory: String
        /// The position in its file's list: `users[2]`.
        public var index: Int
    }

    public var currentContext: String?
    /// The file `currentContext` came from.
    public var currentContextFile: String?
    public var clusters: [String: Located<KubeCluster>] = [:]
    public var contexts: [String: Located<KubeContext>] = [:]
    public var users: [String: Located<KubeUser>] = [:]
    /// Every file read, in order, as shown to people.
    public var files: [String] = []

    public init() {}

    /// Reads and merges `paths` in order. `home` is only used to show paths as `~/…`.
    public static func load(files paths: [String], home: String = NSHomeDirectory()) throws(KubeConfigError) -> KubeConfig {
        var config = KubeConfig()
        for path in paths {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let shown = display(absolute, home: home)
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: absolute))
            } catch {
                throw KubeConfigError(code: .unreadableFile, file: shown, problem: "cannot read the kubeconfig file: \(reason(error))")
            }
            let directory = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
            config.merge(try parse(data, file: shown), file: shown, directory: directory)
        }
        return config
    }

    /// Decodes one file's bytes; `file` names it in errors.
    static func parse(_ data: Data, file: String) throws(KubeConfigError) -> KubeConfigFile {
        let text = String(decoding: data, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return KubeConfigFile() }
        do {
            return try YAMLDecoder().decode(KubeConfigFile.self, from: text)
        } catch let error as DecodingError {
            let (path, problem) = describe(error)
            throw KubeConfigError(code: .malformedFile, file: file, field: path, problem: problem)
        } catch {
            throw KubeConfigError(code: .malformedFile, file: file, problem: "not valid YAML: \(error)")
        }
    }

    private mutating func merge(_ file: KubeConfigFile, file shown: String, directory: String) {
        files.append(shown)
        if currentContext == nil, let name = file.currentContext, !name.isEmpty {
            currentContext = name
            currentContextFile = shown
        }
        for (index, entry) in (file.clusters ?? []).enumerated() where clusters[entry.name] == nil {
            clusters[entry.name] = Located(value: entry.cluster ?? KubeCluster(), file: shown, directory: directory, index: index)
        }
        for (index, entry) in (file.contexts ?? []).enumerated() where contexts[entry.name] == nil {
            contexts[entry.name] = Located(value: entry.context ?? KubeContext(), file: shown, directory: directory, index: index)
        }
        for (index, entry) in (file.users ?? []).enumerated() where users[entry.name] == nil {
            users[entry.name] = Located(value: entry.user ?? KubeUser(), file: shown, directory: directory, index: index)
        }
    }

    /// How to reach the cluster of `context` (or of `current-context`), with its credentials.
    public func connection(context name: String? = nil) throws(KubeConfigError) -> ClusterConnection {
        let contextName: String
        if let name, !name.isEmpty {
            contextName = name
        } else if let currentContext {
            contextName = currentContext
        } else {
            throw KubeConfigError(
                code: .noCurrentContext, file: files.joined(separator: ", "),
                problem: "no current-context is set; pass --context (\(Self.known("contexts", contexts.keys)))"
            )
        }
        guard let context = contexts[contextName] else {
            let fromFlag = name?.isEmpty == false
            throw KubeConfigError(
                code: .unknownContext,
                file: fromFlag ? files.joined(separator: ", ") : currentContextFile,
                field: fromFlag ? nil : "current-context",
                problem: "context \(Self.quoted(contextName)) is not defined; \(Self.known("contexts", contexts.keys))"
            )
        }
        let contextField = "contexts[\(context.index)].context"
        guard let clusterName = context.value.cluster, !clusterName.isEmpty else {
            throw KubeConfigError(code: .invalidField, file: context.file, field: "\(contextField).cluster",
                                  problem: "required field is missing")
        }
        guard let cluster = clusters[clusterName] else {
            throw KubeConfigError(
                code: .invalidField, file: context.file, field: "\(contextField).cluster",
                problem: "cluster \(Self.quoted(clusterName)) is not defined; \(Self.known("clusters", clusters.keys))"
            )
        }
        var user: Located<KubeUser>?
        if let userName = context.value.user, !userName.isEmpty {
            guard let found = users[userName] else {
                throw KubeConfigError(
                    code: .invalidField, file: context.file, field: "\(contextField).user",
                    problem: "user \(Self.quoted(userName)) is not defined; \(Self.known("users", users.keys))"
                )
            }
            user = found
        }
        var connection = try Self.connection(to: cluster)
        if let user {
            try Self.authenticate(&connection, as: user, userName: context.value.user ?? "")
        }
        connection.namespace = context.value.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        connection.origin = "context \(Self.quoted(contextName)) of \(context.file)"
        return connection
    }

    private static func connection(to cluster: Located<KubeCluster>) throws(KubeConfigError) -> ClusterConnection {
        let field = "clusters[\(cluster.index)].cluster"
        let value = cluster.value
        func invalid(_ name: String, _ problem: String) -> KubeConfigError {
            KubeConfigError(code: .invalidField, file: cluster.file, field: "\(field).\(name)", problem: problem)
        }
        guard let server = value.server, !server.isEmpty else { throw invalid("server", "required field is missing") }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw invalid("server", "\(quoted(server)) is not an http:// or https:// URL")
        }
        if value.tlsServerName?.isEmpty == false {
            throw invalid("tls-server-name", "not supported by medic; connect to a server name the certificate covers")
        }
        var tls = TLSOptions(insecureSkipVerify: value.insecureSkipTLSVerify ?? false)
        if let data = value.certificateAuthorityData, !data.isEmpty {
            tls.caData = try decodeBase64(data, error: invalid("certificate-authority-data", "not valid base64"))
        } else if let path = value.certificateAuthority, !path.isEmpty {
            tls.caData = try read(path, relativeTo: cluster.directory, error: { invalid("certificate-authority", $0) })
        }
        // kubectl refuses the pair rather than pick one; medic must not trust less than it does.
        if tls.insecureSkipVerify, tls.caData != nil {
            throw invalid("insecure-skip-tls-verify", "is true while a certificate authority is also set; kubectl refuses this "
                + "(\"specifying a root certificates file with the insecure flag is not allowed\"): remove one of them")
        }
        var proxy = ProxySettings.fromEnvironment()
        if let proxyURL = value.proxyURL, !proxyURL.isEmpty {
            guard ["http://", "https://", "socks5://"].contains(where: proxyURL.hasPrefix) else {
                throw invalid("proxy-url", "\(quoted(proxyURL)) is not an http://, https:// or socks5:// URL")
            }
            proxy = ProxySettings(httpsProxy: proxyURL, httpProxy: proxyURL)
        }
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        return ClusterConnection(server: base, tls: tls, proxy: proxy)
    }

    private static func authenticate(
        _ connection: inout ClusterConnection, as user: Located<KubeUser>, userName: String
    ) throws(KubeConfigError) {
        let field = "users[\(user.index)].user"
        let value = user.value
        func invalid(_ name: String?, _ problem: String) -> KubeConfigError {
            KubeConfigError(code: .invalidField, file: user.file, field: name.map { "\(field).\($0)" } ?? field, problem: problem)
        }
        if value.authProvider != nil {
            throw invalid("auth-provider", "auth-provider \(quoted(value.authProvider?.name ?? "")) is not supported (it was removed from kubectl); use an exec plugin")
        }
        if value.username?.isEmpty == false || value.password?.isEmpty == false {
            throw invalid("username", "basic authentication is not supported (Kubernetes removed it in 1.19)")
        }
        if value.impersonate?.isEmpty == false {
            throw invalid("as", "impersonation is not supported by medic")
        }
        let hasToken = value.token?.isEmpty == false || value.tokenFile?.isEmpty == false
        if hasToken, value.exec != nil {
            throw invalid(nil, "more than one authentication method found for \(quoted(userName)): token and exec; keep one")
        }

        if let data = value.clientCertificateData, !data.isEmpty {
            connection.tls.clientCertificateData = try decodeBase64(data, error: invalid("client-certificate-data", "not valid base64"))
        } else if let path = value.clientCertificate, !path.isEmpty {
            connection.tls.clientCertificateData = try read(path, relativeTo: user.directory, error: { invalid("client-certificate", $0) })
        }
        if let data = value.clientKeyData, !data.isEmpty {
            connection.tls.clientKeyData = try decodeBase64(data, error: invalid("client-key-data", "not valid base64"))
        } else if let path = value.clientKey, !path.isEmpty {
            connection.tls.clientKeyData = try read(path, relativeTo: user.directory, error: { invalid("client-key", $0) })
        }
        switch (connection.tls.clientCertificateData != nil, connection.tls.clientKeyData != nil) {
        case (true, false):
            throw invalid(nil, "a client certificate is set but no client-key or client-key-data")
        case (false, true):
            throw invalid(nil, "a client key is set but no client-certificate or client-certificate-data")
        default:
            break
        }

        if let token = value.token, !token.isEmpty {
            connection.credentials = .token(token)
        } else if let path = value.tokenFile, !path.isEmpty {
            let file = TokenFile(path: resolve(path, relativeTo: user.directory), source: user.file, field: "\(field).tokenFile")
            _ = try file.token()
            connection.credentials = .tokenFile(file)
        } else if let exec = value.exec {
            try validate(exec, invalid: { invalid("exec.\($0)", $1) })
            connection.credentials = .exec(ExecCredentialPlugin(
                config: exec,
                directory: user.directory,
                source: user.file,
                field: "\(field).exec",
                cluster: ExecCredentialPlugin.ClusterInfo(
                    server: connection.server, caData: connection.tls.caData,
                    insecureSkipTLSVerify: connection.tls.insecureSkipVerify
                )
            ))
        }
    }

    private static func validate(
        _ exec: ExecConfig, invalid: (String, String) -> KubeConfigError
    ) throws(KubeConfigError) {
        guard let command = exec.command, !command.isEmpty else { throw invalid("command", "required field is missing") }
        switch exec.apiVersion {
        case ExecCredentialPlugin.v1:
            guard exec.interactiveMode?.isEmpty == false else {
                throw invalid("interactiveMode", "required for \(ExecCredentialPlugin.v1); use Never")
            }
        case ExecCredentialPlugin.v1beta1:
            break
        case let other:
            throw invalid("apiVersion", "\(quoted(other ?? "")) is not supported; use \(ExecCredentialPlugin.v1) or \(ExecCredentialPlugin.v1beta1)")
        }
        if let mode = exec.interactiveMode, !["Never", "IfAvailable", "Always"].contains(mode) {
            throw invalid("interactiveMode", "\(quoted(mode)) is not one of Never, IfAvailable, Always")
        }
        if exec.interactiveMode == "Always" {
            throw invalid("interactiveMode", "Always needs a terminal, and medic runs plugins non-interactively; use Never or IfAvailable")
        }
    }

    /// `path` as given when absolute, otherwise against the kubeconfig file's directory.
    static func resolve(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    private static func read(
        _ path: String, relativeTo directory: String, error: (String) -> KubeConfigError
    ) throws(KubeConfigError) -> Data {
        let resolved = resolve(path, relativeTo: directory)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: resolved))
        } catch let failure {
            throw error("cannot read \(resolved): \(reason(failure))")
        }
    }

    /// Base64 as kubeconfig writes it; line breaks are tolerated, anything else is not.
    private static func decodeBase64(_ text: String, error: KubeConfigError) throws(KubeConfigError) -> Data {
        guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else { throw error }
        return data
    }

    /// `/home/me/.kube/config` as `~/.kube/config`.
    static func display(_ path: String, home: String) -> String {
        let home = home.hasSuffix("/") ? String(home.dropLast()) : home
        guard !home.isEmpty, path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    static func reason(_ error: any Error) -> String {
        let cocoa = error as NSError
        if let posix = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if cocoa.domain == NSCocoaErrorDomain, cocoa.code == NSFileReadNoSuchFileError {
            return "No such file or directory"
        }
        return cocoa.localizedDescription
    }

    static func quoted(_ text: String) -> String { KubeJSON.quoted(text) }

    private static func known(_ what: String, _ names: Dictionary<String, some Any>.Keys) -> String {
        names.isEmpty ? "no \(what) are defined" : "known \(what): \(names.sorted().joined(separator: ", "))"
    }

    /// The kubeconfig field a decoding error is about, and what was wrong with it.
    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "required field is missing")
        case .valueNotFound(_, let context):
            return (path(context.codingPath), "expected a value, found null")
        case .typeMismatch(let type, let context):
            let expected: String
            switch type {
            case is String.Type: expected = "a string"
            case is Bool.Type: expected = "true or false"
            default: expected = String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
            }
            return (path(context.codingPath), "expected \(expected)")
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError {
                let text = String(describing: underlying).trimmingCharacters(in: .whitespacesAndNewlines)
                return (path(context.codingPath), "not valid YAML: \(text.replacingOccurrences(of: "\n", with: " "))")
            }
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", String(describing: error))
        }
    }
}
