import Foundation
import KubeSim
import MedicKube
import Testing

/// `kube-sim --request-log`: which client sent what, seen from the server.
@Suite(.timeLimit(.minutes(1)))
struct RequestLogTests {
    @Test func everyResourceRequestIsALineWithItsMethodPathQueryAndUserAgent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-requests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("requests.jsonl")
        let sim = KubeSim()
        try sim.logRequests(to: url)
        let server = try await sim.start()
        defer { Task { await server.stop() } }
        var connection = ClusterConnection(server: server.baseURL)
        connection.userAgent = "medic (replica-a)"
        let started = Date().timeIntervalSince1970
        _ = try await KubeWriter(connection: connection).create(
            ConfigMap(metadata: ObjectMeta(name: "flags", namespace: "default"), data: ["a": "1"]))
        _ = try await KubeReader(connection: ClusterConnection(server: server.baseURL)).get(ConfigMap.self, name: "flags", namespace: "default")

        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 2)
        #expect(lines.map { $0["method"] as? String } == ["POST", "GET"])
        #expect(lines.map { $0["path"] as? String } == ["/api/v1/namespaces/default/configmaps",
                                                         "/api/v1/namespaces/default/configmaps/flags"])
        #expect(lines.first?["query"] as? String == "fieldManager=medic")
        #expect(lines.map { $0["userAgent"] as? String } == ["medic (replica-a)", "medic"])
        #expect(lines.allSatisfy { ($0["time"] as? Double ?? 0) >= started.rounded(.down) })
    }
}
