import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// A KubeSim serving HTTP(S) on 127.0.0.1. Stop it when the test ends.
public struct RunningKubeSim: Sendable {
    public let sim: KubeSim
    public let port: Int
    public let options: ServerOptions
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:<port>` or `https://…` when serving TLS.
    public var baseURL: String { "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    init(sim: KubeSim, port: Int, options: ServerOptions, task: Task<Void, any Error>) {
        self.sim = sim
        self.port = port
        self.options = options
        self.task = task
    }

    /// Ends open watches, then shuts the server down and waits for it.
    public func stop() async {
        sim.closeWatches()
        task.cancel()
        _ = await task.result
    }

    /// Writes a kubeconfig pointing at this server (context `kube-sim`, namespace `default`),
    /// trusting the server certificate when serving TLS.
    public func writeKubeconfig(to path: String, credentials: KubeconfigCredentials = .none,
                                namespace: String = "default") throws {
        var cluster = "    server: \(baseURL)\n"
        if let tls = options.tls {
            let pem = try Data(contentsOf: URL(fileURLWithPath: tls.certificateFile))
            cluster += "    certificate-authority-data: \(pem.base64EncodedString())\n"
        }
        var user = ""
        switch credentials {
        case .none:
            user = "  user: {}\n"
        case .token(let token):
            user = "  user:\n    token: \(token)\n"
        case .clientCertificate(let certificateFile, let keyFile):
            user = "  user:\n    client-certificate: \(certificateFile)\n    client-key: \(keyFile)\n"
        }
        let text = """
            apiVersion: v1
            kind: Config
            current-context: kube-sim
            preferences: {}
            clusters:
            - name: kube-sim
              cluster:
            \(cluster)contexts:
            - name: kube-sim
              context:
                cluster: kube-sim
                user: kube-sim
                namespace: \(namespace)
            users:
            - name: kube-sim
            \(user)
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// What a written kubeconfig authenticates with.
public enum KubeconfigCredentials: Sendable {
    case none
    case token(String)
    case clientCertificate(certificateFile: String, keyFile: String)
}

/// Why the server could not start (bad certificate files, port in use, …).
public struct KubeSimStartError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension KubeSim {
    /// Serves the API on 127.0.0.1 and returns once the port is bound.
    public func start(_ options: ServerOptions = ServerOptions()) async throws -> RunningKubeSim {
        let server: HTTPServerBuilder
        if let tls = options.tls {
            do {
                var configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificateFile).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.privateKeyFile, format: .pem)))
                if let clientCA = tls.clientCAFile {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
                    configuration.certificateVerification = .optionalVerification
                }
                server = try .tls(.http1(), tlsConfiguration: configuration)
            } catch {
                throw KubeSimStartError(description: "cannot load the TLS certificate or key: \(error)")
            }
        } else {
            server = .http1()
        }
        let authentication = Authentication(bearerToken: options.bearerToken,
                                            clientCertificates: options.tls?.clientCAFile != nil)
        let responder = APIResponder(sim: self, access: APIAccess(authentication: authentication, authorizer: options.rbac),
                                     bookmarkInterval: options.bookmarkInterval)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "kube-sim")
        logger.logLevel = .critical
        let app = Application(
            responder: responder, server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let playing = isPlaying
        let task = Task {
            defer { portContinuation.finish() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                if playing {
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .seconds(1))
                            self.advance()
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            let failure = await task.result
            if case .failure(let error) = failure {
                throw KubeSimStartError(description: "cannot serve on 127.0.0.1:\(options.port): \(error)")
            }
            throw KubeSimStartError(description: "the server stopped before it was listening")
        }
        return RunningKubeSim(sim: self, port: port, options: options, task: task)
    }
}
