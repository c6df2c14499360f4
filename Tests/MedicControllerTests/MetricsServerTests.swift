import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import MedicController
import ServiceLifecycleTestKit
import Testing

/// `/metrics`, `/healthz` and `/readyz` over a real socket on 127.0.0.1.
@Suite(.timeLimit(.minutes(1)))
struct MetricsServerTests {
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String, contentType: String?) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"))
    }

    /// Runs the server on a free port for `body`, then shuts it down gracefully.
    static func serving(
        metrics: ControllerMetrics, health: HealthState, _ body: (_ port: Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = MetricsServer(
            host: "127.0.0.1", port: 0, metrics: metrics, health: health,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, onListening: { continuation.yield($0) })
        try await testGracefulShutdown { trigger in
            let run = Task { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            trigger.triggerGracefulShutdown()
            try await run.value
        }
    }

    @Test func metricsExposeEveryControllerSeries() async throws {
        let metrics = ControllerMetrics()
        metrics.record(
            ControllerPassSummary(
                findings: 3,
                actions: [.init(type: "rollout-restart", result: "succeeded"), .init(type: "rollout-restart", result: "succeeded"),
                          .init(type: "scale", result: "failed")],
                denialReasons: ["rate-limit"], observationTime: Date(timeIntervalSince1970: 1_800_000_000)),
            duration: .milliseconds(700))
        metrics.setLeader(true)
        try await Self.serving(metrics: metrics, health: HealthState()) { port in
            let (status, body, contentType) = try await Self.get(port, "/metrics")
            #expect(status == 200)
            #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
            let lines = Set(body.split(separator: "\n").map(String.init))
            for expected in [
                "# TYPE medic_findings gauge", "medic_findings 3.0",
                "# TYPE medic_actions_total counter",
                #"medic_actions_total{type="rollout-restart",result="succeeded"} 2"#,
                #"medic_actions_total{type="scale",result="failed"} 1"#,
                #"medic_denials_total{reason="rate-limit"} 1"#,
                "# TYPE medic_loop_duration_seconds histogram",
                #"medic_loop_duration_seconds_bucket{le="0.5"} 0"#,
                #"medic_loop_duration_seconds_bucket{le="1.0"} 1"#,
                #"medic_loop_duration_seconds_bucket{le="+Inf"} 1"#,
                "medic_loop_duration_seconds_sum 0.7", "medic_loop_duration_seconds_count 1",
                "medic_last_successful_observation_timestamp_seconds 1800000000.0",
                "medic_leader 1.0", "medic_config_last_reload_successful 1.0",
            ] {
                #expect(lines.contains(expected), "missing: \(expected)\n\(body)")
            }
        }
    }

    @Test func healthIsAlwaysOkAndReadinessFollowsTheState() async throws {
        let health = HealthState()
        try await Self.serving(metrics: ControllerMetrics(), health: health) { port in
            #expect(try await Self.get(port, "/healthz").status == 200)
            #expect(try await Self.get(port, "/healthz").body == "ok\n")
            var ready = try await Self.get(port, "/readyz")
            #expect(ready.status == 503)
            #expect(ready.body == "not ready: configuration not loaded\n")
            await health.configurationDidLoad()
            #expect(try await Self.get(port, "/readyz").status == 200)  // a follower is ready
            await health.leadershipDidChange(true)
            ready = try await Self.get(port, "/readyz")
            #expect(ready.status == 503)
            #expect(ready.body == "not ready: leading, but no observation of the cluster has succeeded yet\n")
            await health.observationDidSucceed()
            ready = try await Self.get(port, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.body == "ok\n")
            #expect(try await Self.get(port, "/nothing").status == 404)
        }
    }
}
