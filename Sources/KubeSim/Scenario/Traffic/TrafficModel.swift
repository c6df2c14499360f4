import Foundation

/// PLACEHOLDER — replaced by the traffic model.
struct TrafficModel: Sendable {
    init(scenario: Scenario) {}

    var podLoads: [String: PodLoad] { [:] }

    mutating func advance(to now: Date, by interval: TimeInterval, cluster: ClusterState) {}

    func samples(cluster: ClusterState, at now: Date) -> [MetricSample] { [] }
}

/// PLACEHOLDER
struct MetricSample: Sendable {}

/// PLACEHOLDER
struct MetricsHistory: Sendable {
    mutating func record(_ samples: [MetricSample], at time: Date) {}
    func openMetrics() -> String { "# EOF\n" }
}
