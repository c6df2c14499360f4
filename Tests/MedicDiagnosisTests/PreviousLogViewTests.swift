import Foundation
import Testing
import MedicKube
import MedicRunbook
@testable import MedicDiagnosis

/// `c.previousLog`: the crashed instance's last words, as a rule reads them.
@Suite struct PreviousLogViewTests {
    static func container(_ cluster: ClusterView, _ name: String) throws -> [String: CELValue] {
        for workload in cluster.workloads {
            guard case .map(let fields) = WorkloadView.value(of: workload, in: cluster),
                  case .list(let containers)? = fields["containers"] else { continue }
            for case .map(let container) in containers where container["name"] == .string(name) { return container }
        }
        throw TestFailure("no container \(name)")
    }

    @Test func theSavedLogOfTheCrashedPodIsInTheView() throws {
        let database = try Self.container(try RunbookFixtures.cluster("missing-env.json"), "database")
        #expect(database["previousLog"] == .map([
            "pod": .string("database-service-ffc8b5968-98m9k"),
            "tail": .string("2026-11-20T02:59:18Z INFO starting database-service 3.2.0\n"
                + "2026-11-20T02:59:18Z FATAL required environment variable DB_NAME is not set"),
        ]))
    }

    @Test func theTailIsBoundedInLinesAndBytes() throws {
        let lines = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let long = String(repeating: "x", count: 5000)
        for (log, expected) in [(lines, (81...100).map { "line \($0)" }.joined(separator: "\n")),
                                (long, String(repeating: "x", count: WorkloadView.previousLogBytes))] {
            let snapshot = Snapshot(
                pods: [try Self.pod()],
                podLogs: [PodLog(namespace: "shop", pod: "web-1", container: "app", previous: true, log: log)])
            let app = try Self.container(ClusterView(snapshot), "app")
            #expect(app["previousLog"] == .map(["pod": .string("web-1"), "tail": .string(expected)]))
        }
        let none = try Self.container(ClusterView(Snapshot(pods: [try Self.pod()])), "app")
        #expect(none["previousLog"] == .map(["pod": .string(""), "tail": .string("")]))
    }

    static func pod() throws -> Pod {
        try JSONDecoder().decode(Pod.self, from: Data("""
            {"metadata": {"name": "web-1", "namespace": "shop"},
             "spec": {"containers": [{"name": "app", "image": "web:1"}]},
             "status": {"containerStatuses": [{"name": "app", "restartCount": 3, "ready": false, "image": "web:1", "imageID": "",
               "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}
            """.utf8))
    }
}

private struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
