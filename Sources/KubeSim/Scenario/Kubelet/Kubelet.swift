import Foundation

/// PLACEHOLDER — replaced by the kubelet model.
struct Kubelet: Sendable {
    init(scenario: Scenario) {}

    mutating func advance(to now: Date, by interval: TimeInterval, loads: [String: PodLoad], cluster: inout ClusterState) {}
}
