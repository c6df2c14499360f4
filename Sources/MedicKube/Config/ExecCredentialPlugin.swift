import Foundation
import MedicProcess

/// A kubeconfig `exec` credential plugin (client.authentication.k8s.io v1 or v1beta1): runs
/// the command, reads the ExecCredential it prints, and reuses that credential until its
/// `expirationTimestamp` (or for the life of the process when it has none). Concurrent
/// requests share one run of the plugin.
public actor ExecCredentialPlugin {
    static let v1 = "client.authentication.k8s.io/v1"
    static let v1beta1 = "client.authentication.k8s.io/v1beta1"
    /// An ExecCredential is a few kilobytes; a plugin that prints more is broken or hostile.
    static let outputLimit = 1 << 20

    /// What a plugin returned: a bearer token, or a client certificate and key (PEM).
    public struct Credential: Sendable, Equatable {
        public var token: String?
        public var clientCertificateData: Data?
        public var clientKeyData: Data?
        public var expiration: Date?
    }

    /// What the plugin is told about the cluster when `provideClusterInfo` is true.
    public struct ClusterInfo: Sendable {
        public var server: String
        public var caData: Data?
        public var insecureSkipTLSVerify: Bool
    }

    public let config: ExecConfig
    let directory: String
    let source: String?
    let field: String
    let cluster: ClusterInfo
    let environment: [String: String]
    let timeout: Duration
    private var cached: Credential?
    private var running: Task<Result<Credential, KubeConfigError>, Never>?

    public init(
        config: ExecConfig,
        directory: String,
        source: String?,
        field: String,
        cluster: ClusterInfo,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Duration = .seconds(60)
    ) {
        self.config = config
        self.directory = directory
        self.source = source
        self.field = field
        self.cluster = cluster
        self.environment = environment
        self.timeout = timeout
    }

    /// The cached credential while it is valid at `now`, otherwise a fresh one from the plugin.
    public func credential(now: Date = Date()) async throws(KubeConfigError) -> Credential {
        if let cached, cached.expiration.map({ now < $0 }) ?? true {
            return cached
        }
        let task = running ?? Task { [self] in await self.run() }
        running = task
        let result = await task.value
        running = nil
        let credential = try result.get()
        cached = credential
        return credential
    }

    /// Forgets the cached credential, so the next request runs the plugin again.
    public func invalidate() {
        cached = nil
    }

    private nonisolated func failure(_ problem: String) -> KubeConfigError {
        KubeConfigError(code: .execPlugin, file: source, field: field, problem: problem)
    }

    private func run() async -> Result<Credential, KubeConfigError> {
        let command = config.command ?? ""
        guard let executable = locate(command) else {
            let hint = config.installHint.map { "; \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
            return .failure(failure("plugin \(KubeConfig.quoted(command)) was not found\(hint)"))
        }
        var variables = environment
        for variable in config.env ?? [] {
            variables[variable.name] = variable.value
        }
        variables["KUBERNETES_EXEC_INFO"] = execInfo()
        // Its stderr is medic's: plugins print their prompts and errors there, for the user.
        let outcome = await ChildProcess.run(
            executable, config.args ?? [], environment: variables, timeout: timeout, outputLimit: Self.outputLimit
        )
        switch outcome {
        case .failedToStart(let reason):
            return .failure(failure("cannot run plugin \(KubeConfig.quoted(command)): \(reason)"))
        case .timedOut:
            return .failure(failure("plugin \(KubeConfig.quoted(command)) did not finish within \(timeout)"))
        case .outputTooLarge:
            return .failure(failure("plugin \(KubeConfig.quoted(command)) printed more than \(Self.outputLimit) bytes; an ExecCredential is a few kilobytes, so it was stopped and its output not read"))
        case .exited(.exited(let status), _) where status != 0:
            return .failure(failure("plugin \(KubeConfig.quoted(command)) exited with status \(status)"))
        case .exited(let termination, _) where termination != .exited(0):
            return .failure(failure("plugin \(KubeConfig.quoted(command)) ended by \(termination)"))
        case .exited(_, let output):
            return parse(output)
        }
    }

    /// Bare names are looked up on PATH; relative paths with a slash resolve against the
    /// kubeconfig file's directory, as kubectl does.
    private func locate(_ command: String) -> String? {
        let manager = FileManager.default
        if command.contains("/") {
            let path = KubeConfig.resolve(command, relativeTo: directory)
            return manager.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return searchPath.split(separator: ":").lazy
            .map { "\($0)/\(command)" }
            .first { manager.isExecutableFile(atPath: $0) }
    }

    private func execInfo() -> String {
        var spec: [String: Any] = ["interactive": false]
        if config.provideClusterInfo == true {
            var info: [String: Any] = ["server": cluster.server]
            if let caData = cluster.caData {
                info["certificate-authority-data"] = caData.base64EncodedString()
            }
            if cluster.insecureSkipTLSVerify {
                info["insecure-skip-tls-verify"] = true
            }
            spec["cluster"] = info
        }
        let object: [String: Any] = ["kind": "ExecCredential", "apiVersion": config.apiVersion ?? Self.v1, "spec": spec]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private struct Output: Decodable {
        var apiVersion: String?
        var kind: String?
        var status: Status?

        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }
    }

    /// Reads what the plugin printed; not isolated, so it can be checked without running one.
    nonisolated func parse(_ data: Data) -> Result<Credential, KubeConfigError> {
        let command = KubeConfig.quoted(config.command ?? "")
        guard let output = try? JSONDecoder().decode(Output.self, from: data) else {
            // What it printed helps to see what went wrong, but it may be a credential in another
            // format: masked, and only its start.
            let start = Redaction.redact(String(decoding: data.prefix(200), as: UTF8.self))
            return .failure(failure("plugin \(command) did not print an ExecCredential as JSON; it printed \(KubeConfig.quoted(start))"))
        }
        let expected = config.apiVersion ?? Self.v1
        guard output.apiVersion == expected else {
            return .failure(failure(
                "plugin \(command) printed apiVersion \(KubeConfig.quoted(output.apiVersion ?? "")), expected \(KubeConfig.quoted(expected))"
            ))
        }
        guard let status = output.status else {
            return .failure(failure("plugin \(command) printed an ExecCredential without status"))
        }
        var credential = Credential(
            token: status.token.flatMap { $0.isEmpty ? nil : $0 },
            clientCertificateData: status.clientCertificateData.flatMap { $0.isEmpty ? nil : Data($0.utf8) },
            clientKeyData: status.clientKeyData.flatMap { $0.isEmpty ? nil : Data($0.utf8) }
        )
        if (credential.clientCertificateData == nil) != (credential.clientKeyData == nil) {
            return .failure(failure("plugin \(command) printed only one of clientCertificateData and clientKeyData; both are needed"))
        }
        if credential.token == nil, credential.clientCertificateData == nil {
            return .failure(failure("plugin \(command) printed neither a token nor clientCertificateData and clientKeyData"))
        }
        if let text = status.expirationTimestamp, !text.isEmpty {
            guard let date = RFC3339.parse(text) else {
                return .failure(failure("plugin \(command) printed expirationTimestamp \(KubeConfig.quoted(text)), which is not an RFC 3339 time"))
            }
            credential.expiration = date
        }
        return .success(credential)
    }
}
