import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The HTTP endpoints a kubelet and a Prometheus scrape: `/metrics` (text exposition),
/// `/healthz` (the process answers) and `/readyz` (see `HealthState`), and with an
/// `AlertIntake`, Alertmanager's webhook at `POST /api/v1/alerts`. Runs in the same
/// ServiceGroup as the loop and stops on graceful shutdown with it.
public struct MetricsServer: ServiceLifecycle.Service {
    public var host: String
    /// 0 picks a free port; `onListening` reports the one bound.
    public var port: Int
    private let metrics: ControllerMetrics
    private let health: HealthState
    private let logger: Logger
    private let onListening: @Sendable (_ port: Int) async -> Void
    private let alerts: AlertIntake?
    /// When set, the webhook answers 401 unless `Authorization: Bearer <token>` carries it.
    private let alertToken: String?

    /// Alertmanager groups alerts; a notification larger than this is refused with 413.
    public static let alertBodyLimit = 1 << 20

    public init(
        host: String, port: Int, metrics: ControllerMetrics, health: HealthState, logger: Logger,
        alerts: AlertIntake? = nil, alertToken: String? = nil,
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.alerts = alerts
        self.alertToken = alertToken
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
        if let alerts {
            let token = alertToken
            router.post("/api/v1/alerts") { request, _ in
                if let token, request.headers[.authorization] != "Bearer \(token)" {
                    return Self.text("a bearer token is required (Authorization: Bearer …)\n", status: .unauthorized)
                }
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: Self.alertBodyLimit)
                } catch {
                    return Self.text("the body is larger than \(Self.alertBodyLimit) bytes\n", status: .contentTooLarge)
                }
                do {
                    let payload = try AlertmanagerPayload.decode(Data(buffer: body))
                    let receipt = await alerts.receive(payload)
                    logger.info("alerts received", metadata: [
                        "receiver": "\(payload.receiver)", "new": "\(receipt.new)", "repeated": "\(receipt.repeated)",
                        "resolved": "\(receipt.resolved)",
                        "alerts": .array(payload.alerts.map { "\($0.name) \($0.status.rawValue) \($0.object.map(\.description) ?? "")" }),
                    ])
                    return Self.text("{\"new\":\(receipt.new),\"repeated\":\(receipt.repeated),\"resolved\":\(receipt.resolved)}\n",
                                     contentType: "application/json")
                } catch {
                    return Self.text("not an Alertmanager webhook payload: \(error)\n", status: .badRequest)
                }
            }
        }
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
