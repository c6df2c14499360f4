import Foundation
@testable import KubeSim
import MedicKube
import Testing

@Suite("scenario replay")
struct ScenarioReplayTests {
    /// What a run of the scenario leaves behind: every pod with its restart count and state.
    static func outcome(of file: String) throws -> [String] {
        let sim = KubeSim()
        try sim.play(try ScenarioLoader.load(file: ScenarioLoaderTests.repository.appendingPathComponent(file).path))
        return sim.objects(.pod).map { pod in
            let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
            let restarts = statuses.map { String($0["restartCount"]?.int ?? -1) }.joined(separator: ",")
            let states = statuses.map { $0["state"]?.object?.keys.sorted().joined() ?? "" }.joined(separator: ",")
            return "\(ClusterState.name(pod)) restarts=\(restarts) \(states)"
        }
    }

    @Test("a scenario plays the same pods, names and restarts every time")
    func replaysAlike() throws {
        let first = try Self.outcome(of: "docs/examples/sock-shop/scenario.yaml")
        #expect(first.count == 3)
        #expect(try Self.outcome(of: "docs/examples/sock-shop/scenario.yaml") == first)
    }
}

@Suite("scenario timeline")
struct ScenarioTimelineTests {
    /// CloudMart re-applies the gateway Service at 45m with a new selector, as `kubectl apply`
    /// of a manifest without `clusterIP` would: the allocated address must stay.
    @Test("a re-applied Service keeps its clusterIP and takes the new selector")
    func reappliedServiceKeepsItsClusterIP() throws {
        let sim = KubeSim()
        try sim.play(try ScenarioLoader.load(
            file: ScenarioLoaderTests.repository.appendingPathComponent("docs/examples/cloudmart/scenario.yaml").path))
        let gateway = try #require(sim.get(.service, namespace: "production", name: "gateway"))
        let address = try #require(gateway[path: ["spec", "clusterIP"]]?.string)
        #expect(address.hasPrefix("10.96."))
        #expect(gateway[path: ["spec", "clusterIPs"]] == [.string(address)])
        #expect(gateway[path: ["spec", "selector"]] == ["app": "nginx-gateway"])
    }
}
