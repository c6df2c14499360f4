import Foundation
import MedicKube
@testable import KubeSim

/// Small scenarios for the traffic tests: a Deployment and a Service per app in namespace
/// `shop`, written as the scenario file would be, played with the default (healthy) pods.
enum TrafficTestsFixture {
    struct App {
        var name: String
        var port = 8080
        var replicas = 1
        var env: [String: String] = [:]
        var cpuLimit: String?
        /// The Service selects `app: <selector>`; a different value leaves it without endpoints.
        var selector: String?
        /// YAML of the `apps` entry, without the image line.
        var behaviour: String
    }

    static func scenario(history: String, load: String, apps: [App]) throws -> Scenario {
        var text = """
            apiVersion: kubesim.medic.io/v1
            kind: Scenario
            metadata: {name: traffic-test}
            spec:
              history: \(history)
              registry: [\(apps.map { "shop/\($0.name):1" }.joined(separator: ", "))]
              load:
            \(load)
              apps:

            """
        for app in apps {
            text += "  - image: shop/\(app.name)\n"
            for line in app.behaviour.split(separator: "\n") { text += "    \(line)\n" }
        }
        text += "  timeline:\n  - after: 0s\n    apply:\n"
        for app in apps { text += "    - \(deployment(app))\n    - \(service(app))\n" }
        return try ScenarioLoader.load(text)
    }

    static func deployment(_ app: App) -> String {
        let env = app.env.sorted { $0.key < $1.key }.map { "{\"name\":\"\($0.key)\",\"value\":\"\($0.value)\"}" }
        let resources = app.cpuLimit.map { ",\"resources\":{\"limits\":{\"cpu\":\"\($0)\"}}" } ?? ""
        return """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\(app.name)","namespace":"shop"},\
            "spec":{"replicas":\(app.replicas),"selector":{"matchLabels":{"app":"\(app.name)"}},\
            "template":{"metadata":{"labels":{"app":"\(app.name)"}},"spec":{"containers":[{"name":"main",\
            "image":"shop/\(app.name):1","ports":[{"containerPort":\(app.port)}],"env":[\(env.joined(separator: ","))]\(resources)}]}}}}
            """
    }

    static func service(_ app: App) -> String {
        """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"\(app.name)","namespace":"shop"},\
        "spec":{"selector":{"app":"\(app.selector ?? app.name)"},"ports":[{"port":80,"targetPort":\(app.port)}]}}
        """
    }

    /// Plays the scenario; returns the simulator and the history's OpenMetrics text.
    static func play(_ scenario: Scenario) throws -> (KubeSim, String) {
        let sim = KubeSim()
        let history = try sim.play(scenario)
        return (sim, history)
    }

    static func requests(_ sim: KubeSim, _ service: String) -> [Int: Int] {
        sim.state.withLock { $0.runtime?.traffic.requests[.init(namespace: "shop", service: service)] ?? [:] }
    }

    static func samples(_ sim: KubeSim) -> [MetricSample] {
        sim.state.withLock { state in state.runtime?.traffic.samples(cluster: state, at: state.clock()) ?? [] }
    }

    static func value(_ samples: [MetricSample], _ name: String, _ labels: [String: String]) -> Double? {
        samples.first { sample in
            sample.name == name && labels.allSatisfy { label in sample.labels.contains { $0 == (label.key, label.value) } }
        }?.value
    }

    /// The 95th percentile of a Service's durations, interpolated within the bucket as
    /// `histogram_quantile` does.
    static func p95(_ sim: KubeSim, _ service: String) -> Double {
        let histogram = sim.state.withLock { $0.runtime?.traffic.durations[.init(namespace: "shop", service: service)] }
            ?? LatencyHistogram()
        let rank = 0.95 * Double(histogram.count)
        var below = 0
        var lower = 0.0
        for (index, count) in histogram.counts.enumerated() {
            let upper = index < LatencyHistogram.bounds.count ? LatencyHistogram.bounds[index] : .infinity
            if Double(below + count) >= rank {
                guard upper.isFinite else { return lower }
                return lower + (upper - lower) * (rank - Double(below)) / Double(count)
            }
            below += count
            lower = upper
        }
        return lower
    }
}
