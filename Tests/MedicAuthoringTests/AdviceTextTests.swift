import Foundation
import MedicDiagnosis
import MedicKube
import MedicProm
import MedicRunbook
import Testing
@testable import MedicAuthoring

/// The advise screen with RED symptoms: frozen CloudMart, with the gateway's and api-service's
/// Services answering every request with 5xx, thirty times their usual share.
@Suite struct AdviceTextTests {
    @Test func symptomsAreToldUnderTheirCauseWithEveryCauseNamed() throws {
        let runbooks = try RunbookLoader.loadDirectory(PrometheusOutageTests.repository.appendingPathComponent("runbooks"))
        let red = try #require(runbooks.first { $0.id == "error-rate-rise" })
        let conditions = red.conditions.compactMap { condition -> Runbook.MetricCondition? in
            if case .metric(let metric) = condition { metric } else { nil }
        }
        let snapshot = try Snapshot.load(contentsOf: PrometheusOutageTests.repository
            .appendingPathComponent("docs/examples/cloudmart/snapshot.json"))
        let now = try #require(snapshot.capturedAt)
        let diagnoser = Diagnoser(runbooks: runbooks)
        let metrics = Dictionary(uniqueKeysWithValues: diagnoser.metricQueries.map { query -> (String, MetricData) in
            guard let condition = conditions.first(where: { $0.query == query }) else { return (query, .series([])) }
            let value = condition.id == "errors-high" ? 1.0 : 30.0
            let samples = stride(from: -condition.window - condition.step, through: 0, by: condition.step).map {
                Sample(time: now.addingTimeInterval($0), value: value)
            }
            return (query, .series(["gateway", "api-service"].map {
                Series(labels: ["namespace": "production", "service": $0], samples: samples)
            }))
        })
        let report = diagnoser.diagnose(ClusterView(snapshot), metrics: metrics, options: .init(now: now))
        let gateway = "error-rate-rise/Service/production/gateway"
        let api = "error-rate-rise/Service/production/api-service"
        #expect(report.findings.first { $0.id == gateway }?.causedBy == ["selector-mismatch/Service/production/gateway"])
        #expect(report.findings.first { $0.id == api }?.causedBy.contains("probe-port/Deployment/production/api-service") == true)

        let text = AdviceText.render(report, context: .init(snapshot: "cloudmart", now: now, prometheus: "http://prom:9090",
                                                            runbooks: runbooks.count, workloads: 6, services: 6))
        let roots = report.incidents.reduce(0) { $0 + $1.rootCauses.count }
        #expect(text.contains("\(report.findings.count) problems found among 6 workloads and 6 services in cloudmart"
            + " at 2026-11-20T03:00:00Z, from \(roots) root causes:"))
        // The symptom sits under the selector, with the reason; never as a numbered problem of its own.
        let selector = try #require(text.range(of: "Service gateway selects no pods"))
        let symptom = try #require(text.range(of: "     - Service production/gateway: Service gateway answers 100% of its requests with 5xx, 30× its usual share (Service gateway itself has the fault)"))
        #expect(selector.upperBound < symptom.lowerBound)
        #expect(!text.contains(". [HIGH] Service gateway answers"))
        // A symptom with several causes names the others.
        #expect(text.contains("Service production/api-service: Service api-service answers 100% of its requests with 5xx"))
        #expect(text.split(separator: "\n").contains { $0.contains("production/api-service: Service api-service answers") && $0.contains("; also explained by ") })
    }
}
