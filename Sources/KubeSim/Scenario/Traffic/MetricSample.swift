import Foundation

/// A metric family as Prometheus is told about it: the OpenMetrics name (counters without
/// `_total`), its type and help text.
struct MetricFamily: Sendable, Hashable {
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    let name: String
    let kind: Kind
    let help: String

    static let httpRequests = MetricFamily(name: "http_requests", kind: .counter,
                                           help: "Requests answered, by the Service they were addressed to and status code.")
    static let httpClientRequests = MetricFamily(name: "http_client_requests", kind: .counter,
                                                 help: "Calls the pods behind a Service made to a host, every attempt (retries included), by the status the caller saw.")
    static let httpRequestDuration = MetricFamily(name: "http_request_duration_seconds", kind: .histogram,
                                                  help: "Request duration seen by the caller, by Service.")
    static let dbConnectionsActive = MetricFamily(name: "db_connections_active", kind: .gauge,
                                                  help: "Database connections held from the pool.")
    static let dbConnectionsMax = MetricFamily(name: "db_connections_max", kind: .gauge,
                                               help: "Database connection pool size.")
    static let cpuUsage = MetricFamily(name: "container_cpu_usage_seconds", kind: .counter,
                                       help: "CPU time consumed by the container.")
    static let memoryWorkingSet = MetricFamily(name: "container_memory_working_set_bytes", kind: .gauge,
                                               help: "Working set of the container.")
    static let restarts = MetricFamily(name: "kube_pod_container_status_restarts", kind: .counter,
                                       help: "Restarts of the container.")
    static let limits = MetricFamily(name: "kube_pod_container_resource_limits", kind: .gauge,
                                     help: "Resource limit of the container.")
    static let podReady = MetricFamily(name: "kube_pod_status_ready", kind: .gauge,
                                       help: "Whether the pod is ready to serve requests.")
}

/// One value of one series at one moment: what `/metrics` exposes and the history records.
struct MetricSample: Sendable, Equatable {
    var family: MetricFamily
    /// `_total` for counters, `_bucket`/`_sum`/`_count` for histograms, empty for gauges.
    var suffix: String
    /// Label names and values in exposition order.
    var labels: [(name: String, value: String)]
    var value: Double

    var name: String { family.name + suffix }

    static func counter(_ family: MetricFamily, _ labels: [(name: String, value: String)], _ value: Double) -> Self {
        MetricSample(family: family, suffix: "_total", labels: labels, value: value)
    }

    static func gauge(_ family: MetricFamily, _ labels: [(name: String, value: String)], _ value: Double) -> Self {
        MetricSample(family: family, suffix: "", labels: labels, value: value)
    }

    /// The `_bucket`, `_sum` and `_count` series of one histogram.
    static func histogram(_ family: MetricFamily, _ labels: [(name: String, value: String)],
                          _ histogram: LatencyHistogram) -> [Self] {
        histogram.cumulative.map { bucket in
            MetricSample(family: family, suffix: "_bucket", labels: labels + [("le", bucket.le)], value: Double(bucket.count))
        } + [MetricSample(family: family, suffix: "_sum", labels: labels, value: histogram.sum),
             MetricSample(family: family, suffix: "_count", labels: labels, value: Double(histogram.count))]
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.family == rhs.family && lhs.suffix == rhs.suffix && lhs.value == rhs.value
            && lhs.labels.map(\.name) == rhs.labels.map(\.name) && lhs.labels.map(\.value) == rhs.labels.map(\.value)
    }

    /// `name{a="x",b="y"}`: the series identity, labels escaped as the text formats require.
    func series(extraLabels: [(name: String, value: String)] = []) -> String {
        let all = labels + extraLabels
        guard !all.isEmpty else { return name }
        let text = all.map { "\($0.name)=\"\(Self.escape($0.value))\"" }.joined(separator: ",")
        return "\(name){\(text)}"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Shortest text that reads back as the same number: `3`, `0.25`, `1e-05`.
    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
