import Hummingbird
import Logging
import ServiceLifecycle

/// The HTTP endpoints a kubelet and a Prometheus scrape: `/metrics` (text exposition),
/// `/healthz` (the process answers) and `/readyz` (see `HealthState`). Runs in the same
/// ServiceGroup as the loop and stops on graceful shutdown with it.
public struct MetricsServer: ServiceLifecycle.Service {
    public var host: String
    /// 0 picks a free port; `onListening` reports the one bound.
    public var port: Int
    private let metrics: ControllerMetrics
    private let health: HealthState
    private let logger: Logger
    private let onListening: @Sendable (_ port: Int) async -> Void

    public init(
        host: String, port: Int, metrics: ControllerMetrics, health: HealthState, logger: Logger,
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let router = Router()
        let metrics = self.metrics, health = self.health
        router.get("/metrics") { _, _ in
            Self.text(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/healthz") { _, _ in
            Self.text("ok\n")
        }
        router.get("/readyz") { _, _ in
            guard let reason = await health.notReadyReason else { return Self.text("ok\n") }
            return Self.text("not ready: \(reason)\n", status: .serviceUnavailable)
        }
        let logger = self.logger, host = self.host, onListening = self.onListening
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("serving /metrics, /healthz and /readyz", metadata: ["address": "\(host):\(port)"])
                await onListening(port)
            },
            logger: logger)
        try await app.run()
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
