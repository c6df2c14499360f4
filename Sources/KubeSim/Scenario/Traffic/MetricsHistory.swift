import Foundation

/// The metrics of a played history, for Prometheus to backfill: every series' samples in time
/// order, written as OpenMetrics text (`promtool tsdb create-blocks-from openmetrics`).
///
/// Every series gets `job="kubesim"` and `instance="kubesim"`, the labels the demo's scrape of
/// the live `/metrics` adds, so backfilled and scraped samples continue the same series.
struct MetricsHistory: Sendable {
    static let targetLabels: [(name: String, value: String)] = [("job", "kubesim"), ("instance", "kubesim")]

    private var families: [MetricFamily] = []
    /// family → series text in first-seen order, and each series' points.
    private var seriesOrder: [MetricFamily: [String]] = [:]
    private var points: [String: [(time: Double, value: Double)]] = [:]

    mutating func record(_ samples: [MetricSample], at time: Date) {
        let seconds = time.timeIntervalSince1970
        for sample in samples {
            let series = sample.series(extraLabels: Self.targetLabels)
            if points[series] == nil {
                if seriesOrder[sample.family] == nil { families.append(sample.family) }
                seriesOrder[sample.family, default: []].append(series)
            }
            points[series, default: []].append((seconds, sample.value))
        }
    }

    func openMetrics() -> String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.kind.rawValue)\n"
            for series in seriesOrder[family] ?? [] {
                for point in points[series] ?? [] {
                    text += "\(series) \(MetricSample.format(point.value)) \(Self.timestamp(point.time))\n"
                }
            }
        }
        return text + "# EOF\n"
    }

    /// Seconds with millisecond precision, as OpenMetrics timestamps are written.
    private static func timestamp(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let fraction = millis % 1000
        return fraction == 0 ? String(millis / 1000) : String(format: "%lld.%03lld", millis / 1000, fraction)
    }
}
