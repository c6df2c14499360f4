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
