import Foundation
import MedicKube
import MedicProm

/// The charts of a report: each `ReportMetric` for the workloads the root causes name, read
/// from Prometheus with range queries around the incident. A chart Prometheus cannot draw
/// carries the reason instead, and the report prints that reason where the chart would be.
public struct ReportChart: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case chart(LineChart)
        /// Why there is no chart: no `--prometheus`, Prometheus failed, or no data.
        case unavailable(String)
    }

    public var metric: ReportMetric
    public var title: String
    /// The PromQL behind it, one per target, so a reader can run it again.
    public var queries: [String]
    public var content: Content

    /// Fifteen minutes before detection to ten after the end (never past `now`), in about 240
    /// steps of at least 5 s, so a fast demo and a day-long incident both fill the width.
    public static func window(for report: IncidentReport, now: Date) -> (start: Date, end: Date, step: Duration)? {
        guard let detected = report.phase(.detected)?.time else { return nil }
        let last = report.phase(.resolved)?.time ?? report.lastRecord ?? detected
        let start = detected.addingTimeInterval(-15 * 60)
        let end = min(max(last.addingTimeInterval(10 * 60), detected.addingTimeInterval(60)), max(now, detected))
        let step = max(5, (end.timeIntervalSince(start) / 240).rounded())
        return (start, end, .seconds(Int(step)))
    }

    /// The workloads to chart: the root causes' targets, else every finding's; at most four.
    public static func targets(for report: IncidentReport) -> [ObjectRef] {
        let roots = report.findings.filter(\.isRootCause).map(\.target)
        var seen: [ObjectRef] = []
        for target in roots.isEmpty ? report.findings.map(\.target) : roots where !seen.contains(target) {
            seen.append(target)
        }
        return Array(seen.prefix(4))
    }

    /// Every chart; `client` nil means no `--prometheus` was given.
    public static func fetch(for report: IncidentReport, client: PrometheusClient?, now: Date = Date()) async -> [ReportChart] {
        let targets = targets(for: report)
        let saturation = ReportMetric.Saturation(runbook: report.findings.first?.runbook ?? "")
        let markers = report.actions.compactMap { action in
            action.appliedAt.map { LineChart.Marker(time: $0, label: action.type) }
        }
        let window = window(for: report, now: now)
        var charts: [ReportChart] = []
        for metric in ReportMetric.allCases {
            let queries = targets.map { metric.promql(for: $0, saturation: saturation) }
            var chart = ReportChart(metric: metric, title: metric.title(saturation), queries: queries,
                                    content: .unavailable(""))
            guard let client else {
                chart.content = .unavailable("No chart: the report was made without --prometheus. Run `medic report` again with --prometheus URL to draw it.")
                charts.append(chart)
                continue
            }
            guard let window, !targets.isEmpty else {
                chart.content = .unavailable("No chart: the audit log records no finding, so there is no incident window to draw.")
                charts.append(chart)
                continue
            }
            var lines: [LineChart.Line] = []
            var failure: String?
            for (target, query) in zip(targets, queries) {
                do {
                    let result = try await client.queryRange(query, from: window.start, to: window.end, step: window.step)
                    guard case .matrix(let series) = result, let first = series.first else { continue }
                    lines.append(LineChart.Line(label: "\(target.namespace)/\(target.name)",
                                                points: first.samples.map { ($0.time, $0.value) }))
                } catch {
                    failure = "\(error)"
                    break
                }
            }
            if let failure {
                chart.content = .unavailable("No chart: Prometheus could not answer. \(failure)")
            } else if lines.allSatisfy({ $0.points.isEmpty }) {
                chart.content = .unavailable("No chart: Prometheus at \(client.baseURL) has no data for this between \(RFC3339.format(window.start)) and \(RFC3339.format(window.end)) (the series may be named differently here, or have expired).")
            } else {
                chart.content = .chart(LineChart(title: chart.title, unit: metric.unit, lines: lines, markers: markers,
                                                 start: window.start, end: window.end))
            }
            charts.append(chart)
        }
        return charts
    }
}
