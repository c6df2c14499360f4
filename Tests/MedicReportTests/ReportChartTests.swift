import Foundation
import MedicProm
import Testing
@testable import MedicReport

@Suite struct ReportChartTests {
    @Test func withoutPrometheusEveryChartSaysSo() async throws {
        let report = IncidentReport(records: try ReportFixture.poolLeak())
        let charts = await ReportChart.fetch(for: report, client: nil)
        #expect(charts.map(\.metric) == ReportMetric.allCases)
        for chart in charts {
            #expect(chart.content == .unavailable("No chart: the report was made without --prometheus. Run `medic report` again with --prometheus URL to draw it."))
        }
        let document = ReportDocument(report: report, charts: charts, rules: AlertRules(report: report), rulesFile: "r.yaml")
        #expect(document.markdown().components(separatedBy: "> No chart: the report was made without --prometheus").count == 5)
        #expect(document.html().components(separatedBy: "class=\"unavailable\"").count == 5)
    }

    @Test func anUnreachablePrometheusIsNamedInPlaceOfTheChart() async throws {
        let report = IncidentReport(records: try ReportFixture.poolLeak())
        // Port 9 on loopback (discard) has no listener here: the connection is refused at once.
        let client = PrometheusClient(baseURL: "http://127.0.0.1:9", timeout: .seconds(5))
        let charts = await ReportChart.fetch(for: report, client: client, now: report.lastRecord!)
        for chart in charts {
            guard case .unavailable(let reason) = chart.content else {
                Issue.record("\(chart.metric) drew a chart without Prometheus")
                continue
            }
            #expect(reason.hasPrefix("No chart: Prometheus could not answer."))
            #expect(reason.contains("http://127.0.0.1:9/api/v1/query_range"))
        }
    }

    @Test func queriesFollowTheRootCausesRunbook() {
        let target = ReportFixture.db
        #expect(ReportMetric.saturation.promql(for: target, saturation: .pool)
                == #"max(db_connections_active{namespace="shop",service="db"} / db_connections_max{namespace="shop",service="db"})"#)
        #expect(ReportMetric.Saturation(runbook: "oom-killed") == .memory)
        #expect(ReportMetric.Saturation(runbook: "overload") == .cpu)
        #expect(ReportMetric.saturation.promql(for: target, saturation: .memory).contains(#"pod=~"db-.+""#))
    }

    @Test func theWindowStartsBeforeDetectionAndNeverEndsInTheFuture() throws {
        let report = IncidentReport(records: try ReportFixture.poolLeak())
        let detected = try #require(report.phase(.detected)?.time)
        let now = detected.addingTimeInterval(120)
        let window = try #require(ReportChart.window(for: report, now: now))
        #expect(window.start == detected.addingTimeInterval(-900))
        #expect(window.end == now)
        #expect(window.step >= .seconds(5))
    }
}
