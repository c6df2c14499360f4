import Foundation
import MedicProm
import Testing

/// One real Prometheus for a whole suite (starting one costs about a second): backfilled with
/// `BackfillData.openMetrics` and scraping the fixture server's /metrics. Stopped when the
/// suite ends, whatever its tests did.
struct SharedPrometheus: SuiteTrait, TestScoping {
    struct Fixture: Sendable {
        var prometheus: LocalPrometheus
        var client: PrometheusClient
        var exporterPort: Int
    }

    @TaskLocal static var current: Fixture?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await TestServer.with { exporter in
            let prometheus = try await LocalPrometheus.start(
                backfill: BackfillData.openMetrics, scrapeTargets: ["127.0.0.1:\(exporter.port)"]
            )
            let fixture = Fixture(
                prometheus: prometheus, client: PrometheusClient(baseURL: prometheus.baseURL), exporterPort: exporter.port
            )
            do {
                try await Self.$current.withValue(fixture) { try await function() }
            } catch {
                await prometheus.stop()
                throw error
            }
            await prometheus.stop()
        }
    }
}

extension Trait where Self == SharedPrometheus {
    static var sharedPrometheus: Self { SharedPrometheus() }
}

/// Two hours of pool gauges before a fixed past instant, one sample every 30 s:
/// `db_connections_active` climbs by one per sample and reaches 240 at `instant`;
/// `db_connections_max` stays 100.
enum BackfillData {
    static let instant = Date(timeIntervalSince1970: 1_705_320_000)
    static let labels = #"namespace="production",service="order-service""#

    /// The active-connection value `minutesBefore` minutes before `instant`.
    static func active(minutesBefore: Int) -> Double {
        Double(240 - 2 * minutesBefore)
    }

    static var openMetrics: String {
        let end = Int(instant.timeIntervalSince1970)
        let times = stride(from: end - 7200, through: end, by: 30)
        var lines = ["# HELP db_connections_active Connections checked out of the pool.", "# TYPE db_connections_active gauge"]
        lines += times.enumerated().map { index, time in "db_connections_active{\(labels)} \(index) \(time)" }
        lines += ["# TYPE db_connections_max gauge"]
        lines += times.map { "db_connections_max{\(labels)} 100 \($0)" }
        // No "# EOF": LocalPrometheus adds it, which is part of what this data checks.
        return lines.joined(separator: "\n")
    }
}
