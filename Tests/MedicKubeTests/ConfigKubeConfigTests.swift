import Foundation
import MedicHTTP
import Testing
@testable import MedicKube

/// A fresh directory for one test, removed at the end.
struct TempDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("medic-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` (subdirectories created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        }
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

/// Loads one kubeconfig written as `~/.kube/config` under a temporary home and resolves it.
private func connect(_ yaml: String, context: String? = nil) throws -> ClusterConnection {
    let home = try TempDirectory()
    defer { home.remove() }
    let file = try home.write(".kube/config", yaml)
    return try KubeConfig.load(files: [file], home: home.path).connection(context: context)
}

/// The error resolving a kubeconfig written as `~/.kube/config` gives, as printed.
private func failure(_ yaml: String, context: String? = nil) throws -> String {
    do {
        _ = try connect(yaml, context: context)
        return "no error"
    } catch let error as KubeConfigError {
        return error.description
    }
}

private let minimal = """
    apiVersion: v1
    kind: Config
    current-context: dev
    clusters:
    - name: dev-cluster
      cluster: {server: "https://10.0.0.1:6443/"}
    contexts:
    - name: dev
      context: {cluster: dev-cluster, user: dev-user, namespace: shop}
    users:
    - name: dev-user
      user: {token: dev-token}
    """

@Suite("kubeconfig")
struct ConfigKubeConfigTests {
    @Test("a minimal kubeconfig gives server, namespace and token")
    func minimalConfig() async throws {
        let connection = try connect(minimal)
        #expect(connection.server == "https://10.0.0.1:6443")
        #expect(connection.namespace == "shop")
        #expect(connection.origin == "context \"dev\" of ~/.kube/config")
        let http = try await connection.httpConfiguration()
        #expect(http.bearerToken == "dev-token")
        #expect(http.tls == TLSOptions())
    }

    @Test("every cluster and user field is read, inline data decoded from base64")
    func everyField() async throws {
        let connection = try connect("""
            current-context: full
            clusters:
            - name: c
              cluster:
                server: https://api.example.com
                certificate-authority-data: \(base64("CA PEM"))
                proxy-url: http://proxy.example.com:3128
            contexts:
            - name: full
              context: {cluster: c, user: u}
            users:
            - name: u
              user:
                client-certificate-data: \(base64("CERT PEM"))
                client-key-data: \(base64("KEY PEM"))
                token: t0k3n
            """)
        #expect(connection.namespace == "default")
        #expect(connection.tls == TLSOptions(
            caData: Data("CA PEM".utf8), clientCertificateData: Data("CERT PEM".utf8),
            clientKeyData: Data("KEY PEM".utf8), insecureSkipVerify: false))
        #expect(connection.proxy == ProxySettings(httpsProxy: "http://proxy.example.com:3128", httpProxy: "http://proxy.example.com:3128"))
        #expect(try await connection.httpConfiguration().bearerToken == "t0k3n")
    }

    @Test("relative file paths resolve against the kubeconfig file's directory")
    func relativePaths() async throws {
        let home = try TempDirectory()
        defer { home.remove() }
        try home.write("configs/pki/ca.pem", "CA FROM FILE")
        try home.write("configs/pki/client.pem", "CERT FROM FILE")
        try home.write("configs/pki/client.key", "KEY FROM FILE")
        try home.write("configs/token", "  file-token\n")
        let file = try home.write("configs/kubeconfig", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://h:6443", certificate-authority: pki/ca.pem}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            users: [{name: u, user: {client-certificate: pki/client.pem, client-key: ./pki/client.key, tokenFile: token}}]
            """)
        let connection = try KubeConfig.load(files: [file], home: home.path).connection()
        #expect(connection.tls.caData == Data("CA FROM FILE".utf8))
        #expect(connection.tls.clientCertificateData == Data("CERT FROM FILE".utf8))
        #expect(connection.tls.clientKeyData == Data("KEY FROM FILE".utf8))
        #expect(try await connection.httpConfiguration().bearerToken == "file-token")
        try home.write("configs/token", "rotated-token")
        #expect(try await connection.httpConfiguration().bearerToken == "rotated-token")
    }

    @Test("several files merge like kubectl: first file wins per name, current-context from the first that sets it")
    func merging() throws {
        let home = try TempDirectory()
        defer { home.remove() }
        let first = try home.write("a.yaml", """
            clusters: [{name: shared, cluster: {server: "https://first:6443"}}]
            contexts: [{name: one, context: {cluster: shared, user: u}}]
            users: [{name: u, user: {token: first-token}}]
            """)
        let second = try home.write("b.yaml", """
            current-context: two
            clusters:
            - {name: shared, cluster: {server: "https://second:6443"}}
            - {name: other, cluster: {server: "https://other:6443"}}
            contexts:
            - {name: one, context: {cluster: other, user: u}}
            - {name: two, context: {cluster: other, user: u, namespace: ops}}
            users: [{name: u, user: {token: second-token}}]
            """)
        let third = try home.write("c.yaml", "current-context: one\n")
        let config = try KubeConfig.load(files: [first, second, third], home: home.path)
        #expect(config.currentContext == "two")
        #expect(config.currentContextFile == "~/b.yaml")
        #expect(config.files == ["~/a.yaml", "~/b.yaml", "~/c.yaml"])
        #expect(config.clusters["shared"]?.value.server == "https://first:6443")
        #expect(config.clusters["shared"]?.file == "~/a.yaml")
        #expect(config.clusters["other"]?.index == 1)
        let current = try config.connection()
        #expect(current.server == "https://other:6443")
        #expect(current.namespace == "ops")
        let one = try config.connection(context: "one")
        #expect(one.server == "https://first:6443")
        if case .token(let token) = one.credentials { #expect(token == "first-token") } else { Issue.record("expected a token") }
    }

    @Test("errors name the file and the field, with text a person can act on", arguments: [
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{client-certificate-data: \(base64("c")), client-key-data: \"not*base64\"}"),
         nil, "~/.kube/config: users[0].user.client-key-data: not valid base64"),
        (minimal.replacingOccurrences(of: "server: \"https://10.0.0.1:6443/\"", with: "certificate-authority-data: \"%%%\", server: \"https://h\""),
         nil, "~/.kube/config: clusters[0].cluster.certificate-authority-data: not valid base64"),
        (minimal, "prod", "~/.kube/config: context \"prod\" is not defined; known contexts: dev"),
        (minimal.replacingOccurrences(of: "current-context: dev", with: "current-context: gone"),
         nil, "~/.kube/config: current-context: context \"gone\" is not defined; known contexts: dev"),
        (minimal.replacingOccurrences(of: "current-context: dev", with: ""),
         nil, "~/.kube/config: no current-context is set; pass --context (known contexts: dev)"),
        (minimal.replacingOccurrences(of: "{server: \"https://10.0.0.1:6443/\"}", with: "{insecure-skip-tls-verify: true}"),
         nil, "~/.kube/config: clusters[0].cluster.server: required field is missing"),
        (minimal.replacingOccurrences(of: "\"https://10.0.0.1:6443/\"", with: "10.0.0.1:6443"),
         nil, "~/.kube/config: clusters[0].cluster.server: \"10.0.0.1:6443\" is not an http:// or https:// URL"),
        (minimal.replacingOccurrences(of: "cluster: dev-cluster,", with: "cluster: prod-cluster,"),
         nil, "~/.kube/config: contexts[0].context.cluster: cluster \"prod-cluster\" is not defined; known clusters: dev-cluster"),
        (minimal.replacingOccurrences(of: "user: dev-user,", with: "user: admin,"),
         nil, "~/.kube/config: contexts[0].context.user: user \"admin\" is not defined; known users: dev-user"),
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{client-certificate-data: \(base64("c"))}"),
         nil, "~/.kube/config: users[0].user: a client certificate is set but no client-key or client-key-data"),
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{token: t, exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Never}}"),
         nil, "~/.kube/config: users[0].user: more than one authentication method found for \"dev-user\": token and exec; keep one"),
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: x}}"),
         nil, "~/.kube/config: users[0].user.exec.interactiveMode: required for client.authentication.k8s.io/v1; use Never"),
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}"),
         nil, "~/.kube/config: users[0].user.exec.apiVersion: \"client.authentication.k8s.io/v1alpha1\" is not supported; use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1"),
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{auth-provider: {name: gcp}}"),
         nil, "~/.kube/config: users[0].user.auth-provider: auth-provider \"gcp\" is not supported (it was removed from kubectl); use an exec plugin"),
        (minimal.replacingOccurrences(of: "{token: dev-token}", with: "{username: admin, password: secret}"),
         nil, "~/.kube/config: users[0].user.username: basic authentication is not supported (Kubernetes removed it in 1.19)"),
        (minimal.replacingOccurrences(of: "{server: \"https://10.0.0.1:6443/\"}", with: "{server: \"https://h\", insecure-skip-tls-verify: maybe}"),
         nil, "~/.kube/config: clusters[0].cluster.insecure-skip-tls-verify: expected true or false"),
        (minimal.replacingOccurrences(of: "{server: \"https://10.0.0.1:6443/\"}", with: "{server: \"https://h\", insecure-skip-tls-verify: true, certificate-authority-data: \(base64("CA"))}"),
         nil, "~/.kube/config: clusters[0].cluster.insecure-skip-tls-verify: is true while a certificate authority is also set; kubectl refuses this (\"specifying a root certificates file with the insecure flag is not allowed\"): remove one of them"),
        (minimal.replacingOccurrences(of: "{server: \"https://10.0.0.1:6443/\"}", with: "{server: \"https://h\", certificate-authority: missing/ca.pem}"),
         nil, "~/.kube/config: clusters[0].cluster.certificate-authority: cannot read HOME/.kube/missing/ca.pem: No such file or directory"),
    ] as [(String, String?, String)])
    func errors(yaml: String, context: String?, expected: String) throws {
        let home = try TempDirectory()
        defer { home.remove() }
        let file = try home.write(".kube/config", yaml)
        do {
            _ = try KubeConfig.load(files: [file], home: home.path).connection(context: context)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == expected.replacingOccurrences(of: "HOME", with: home.path))
        }
    }

    @Test("a file that is not YAML, or missing, is named")
    func unreadable() throws {
        let home = try TempDirectory()
        defer { home.remove() }
        let broken = try home.write("broken.yaml", "clusters: [unclosed\n")
        #expect(throws: KubeConfigError.self) { try KubeConfig.load(files: [broken], home: home.path) }
        do {
            _ = try KubeConfig.load(files: [broken], home: home.path)
        } catch {
            #expect(error.code == .malformedFile)
            #expect(error.description.hasPrefix(
                "~/broken.yaml: not valid YAML: 2:1: error: parser: while parsing a flow sequence in line 1, column 11 did not find expected ',' or ']'"))
        }
        do {
            _ = try KubeConfig.load(files: ["\(home.path)/nope.yaml"], home: home.path)
        } catch {
            #expect(error.description == "~/nope.yaml: cannot read the kubeconfig file: No such file or directory")
        }
    }

    @Test("credentials are not sent to a plain-http server, as kubectl does")
    func noCredentialsOverHTTP() async throws {
        let connection = try connect(minimal.replacingOccurrences(of: "https://10.0.0.1:6443/", with: "http://127.0.0.1:8080"))
        #expect(try await connection.httpConfiguration().bearerToken == nil)
    }
}

@Suite("cluster locator")
struct ConfigLocatorTests {
    private func config(_ server: String) -> String {
        """
        current-context: c
        clusters: [{name: c, cluster: {server: "\(server)"}}]
        contexts: [{name: c, context: {cluster: c}}]
        """
    }

    @Test("precedence: --kubeconfig, then KUBECONFIG, then in-cluster, then ~/.kube/config")
    func precedence() throws {
        let home = try TempDirectory()
        defer { home.remove() }
        let explicit = try home.write("explicit.yaml", config("https://explicit"))
        let fromEnvironment = try home.write("env.yaml", config("https://env"))
        try home.write(".kube/config", config("https://home"))
        try home.write("sa/token", "sa-token")
        let inCluster = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        func server(_ kubeconfig: String?, _ environment: [String: String]) throws -> String {
            try ClusterLocator(kubeconfig: kubeconfig, environment: environment, homeDirectory: home.path,
                               serviceAccountDirectory: "\(home.path)/sa").connect().server
        }
        let all = inCluster.merging(["KUBECONFIG": "\(home.path)/absent.yaml:\(fromEnvironment)"]) { $1 }
        #expect(try server(explicit, all) == "https://explicit")
        #expect(try server(nil, all) == "https://env")
        #expect(try server(nil, inCluster) == "https://10.96.0.1:443")
        #expect(try server(nil, [:]) == "https://home")
    }

    @Test("nothing configured, and a KUBECONFIG of missing files, say what to do")
    func nothing() throws {
        let home = try TempDirectory()
        defer { home.remove() }
        func message(_ environment: [String: String], context: String? = nil) -> String {
            do {
                _ = try ClusterLocator(context: context, environment: environment, homeDirectory: home.path,
                                       serviceAccountDirectory: "\(home.path)/sa").connect()
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message([:]) == "no cluster configured: pass --kubeconfig, set KUBECONFIG, run in a pod, or create ~/.kube/config")
        #expect(message(["KUBECONFIG": "/x/a:/x/b"]) == "none of the files in KUBECONFIG exist: /x/a, /x/b")
        #expect(message(["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "1"], context: "prod")
            == "--context \"prod\" needs a kubeconfig, and medic found none; running in-cluster, pass --kubeconfig or drop --context")
    }
}
