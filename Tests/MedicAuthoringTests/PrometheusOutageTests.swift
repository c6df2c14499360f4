import Foundation
import MedicDiagnosis
import MedicProm
import MedicKube
import MedicRunbook
import Testing
@testable import MedicAuthoring

/// The line above the answer when Prometheus failed: all queries, or only some of them.
@Suite struct PrometheusOutageTests {
    static let url = "http://prom:9090"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// CloudMart with every built-in runbook, each query answered by `answer`.
    static func outage(_ answer: (String) -> MetricData) throws -> PrometheusOutage? {
        let runbooks = try RunbookLoader.loadDirectory(repository.appendingPathComponent("runbooks"))
        let diagnoser = Diagnoser(runbooks: runbooks)
        let queries = diagnoser.metricQueries
        let metrics = Dictionary(uniqueKeysWithValues: queries.map { ($0, answer($0)) })
        let snapshot = try Snapshot.load(contentsOf: repository.appendingPathComponent("docs/examples/cloudmart/snapshot.json"))
        let report = diagnoser.diagnose(ClusterView(snapshot), metrics: metrics,
                                        options: .init(now: try #require(snapshot.capturedAt)))
        return PrometheusOutage(url: url, metrics: metrics, queries: queries, report: report)
    }

    @Test func someFailedQueriesNameTheChecksTheyKeptUndecided() throws {
        let poolQuery = try #require(try RunbookLoader.loadFile(Self.repository.appendingPathComponent(
            "runbooks/pool-exhaustion.yaml")).conditions.compactMap { condition -> String? in
                guard case .metric(let metric) = condition else { return nil }
                return metric.query
            }.first)
        let outage = try #require(try Self.outage { $0 == poolQuery ? .unavailable(reason: "HTTP 422: bad_data") : .series([]) })
        #expect(outage.line.hasPrefix("Warning: Prometheus at http://prom:9090 failed 1 of "), "\(outage.line)")
        #expect(outage.line.contains(" queries (HTTP 422: bad_data): pool-exhaustion on 7 targets (kube-system/coredns, production/api-service, …)"),
                "\(outage.line)")
        #expect(outage.line.hasSuffix(" not decided."))
    }

    @Test func allFailedSaysAll() throws {
        let outage = try #require(try Self.outage { _ in .unavailable(reason: "connection refused") })
        #expect(outage.line.hasPrefix("Warning: Prometheus at http://prom:9090 failed all "))
        #expect(outage.line.contains("pool-exhaustion"))
    }

    @Test func nothingFailedOrNothingNeededItIsNoLine() throws {
        #expect(try Self.outage { _ in .series([]) } == nil)
    }
}
