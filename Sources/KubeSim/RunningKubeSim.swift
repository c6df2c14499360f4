import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// A KubeSim serving HTTP(S) on 127.0.0.1. Stop it when the test ends.
public struct RunningKubeSim: Sendable {
    public let sim: KubeSim
    public let port: Int
    public let options: ServerOptions
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:<port>` or `https://…` when serving TLS.
    public var baseURL: String { "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    init(sim: KubeSim, port: Int, options: ServerOptions, group: ServiceGroup, task: Task<Void, any Error>) {
        self.sim = sim
        self.port = port
        self.options = options
        self.group = group
        self.task = task
    }

    /// Ends open watches, then cancels the services and waits for them.
    public func stop() async {
        sim.closeWatches()
        task.cancel()
        _ = await task.result
    }

    /// Shuts the services down gracefully, as a shutdown signal does: open watches end,
    /// requests in flight are answered.
    public func shutDown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    /// Returns once the services have stopped (a shutdown signal, `shutDown`, `stop`);
    /// throws what made one fail.
    public func wait() async throws {
        try await task.value
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
    /// Serves the API on 127.0.0.1 and returns once the port is bound. The server and, while a
    /// scenario plays, its clock run as services of one `ServiceGroup`, which shuts down
    /// gracefully on `shutdownSignals` (kube-sim's SIGTERM and SIGINT).
    public func start(_ options: ServerOptions = ServerOptions(),
                      shutdownSignals: [UnixSignal] = []) async throws -> RunningKubeSim {
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
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: APIServer(sim: self, application: app))]
        if isPlaying {
            // The clock ends with the server; it never ends the group itself.
            services.append(.init(service: ScenarioClock(sim: self), successTerminationBehavior: .ignore))
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: shutdownSignals,
                                                      logger: logger)
        configuration.maximumGracefulShutdownDuration = Duration.seconds(2)
        let group = ServiceGroup(configuration: configuration)
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            let failure = await task.result
            if case .failure(let error) = failure {
                throw KubeSimStartError(description: "cannot serve on 127.0.0.1:\(options.port): \(error)")
            }
            throw KubeSimStartError(description: "the server stopped before it was listening")
        }
        return RunningKubeSim(sim: self, port: port, options: options, group: group, task: task)
    }
}
