import Foundation
import MedicHTTP
import MedicProcess
import Testing
@testable import MedicKube

/// The Python API double (Fixtures/client-kube_server.py) on a free 127.0.0.1 port, for one
/// test body. It exits by itself when the test process goes away.
struct KubeFixtureServer {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    var connection: ClusterConnection { ClusterConnection(server: url, proxy: .none, origin: "fixture server") }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/client-kube_server.py").path

    struct StartFailure: Error, CustomStringConvertible { var description: String }

    /// `objects`: a List; `errors`: "METHOD /path" to a Status fixture name, HTTP code and headers;
    /// `watch`: resourceVersion to the raw chunks a watch from it receives.
    static func with<T>(
        objects: Data? = nil,
        errors: [String: (fixture: String, code: Int, headers: [String: String])] = [:],
        watch: [String: [String]] = [:],
        _ body: (KubeFixtureServer) async throws -> T
    ) async throws -> T {
        let directory = try TempDirectory()
        defer { directory.remove() }
        var arguments = ["python3", script, "--port-file", "\(directory.path)/port", "--lifetime", "60"]
        if let objects {
            try objects.write(to: URL(fileURLWithPath: "\(directory.path)/objects.json"))
            arguments += ["--objects", "\(directory.path)/objects.json"]
        }
        if !errors.isEmpty {
            var map: [String: Any] = [:]
            for (key, error) in errors {
                let body = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixture.url(error.fixture)))
                map[key] = ["code": error.code, "headers": error.headers, "body": body]
            }
            try JSONSerialization.data(withJSONObject: map).write(to: URL(fileURLWithPath: "\(directory.path)/errors.json"))
            arguments += ["--errors", "\(directory.path)/errors.json"]
        }
        if !watch.isEmpty {
            try JSONSerialization.data(withJSONObject: watch).write(to: URL(fileURLWithPath: "\(directory.path)/watch.json"))
            arguments += ["--watch", "\(directory.path)/watch.json"]
        }
        // Its stdin is a pipe that only this process holds open: when it goes, the server sees
        // EOF and exits.
        let (process, stdin) = try ChildProcess.piped(childReads: true) { end throws(ChildProcess.SpawnFailure) in
            try ChildProcess.spawn("/usr/bin/env", arguments, stdin: .descriptor(end))
        }
        defer {
            close(stdin)
            process.stop()
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.exitStatus() == nil {
            if let text = try? String(contentsOfFile: "\(directory.path)/port", encoding: .utf8), let port = Int(text) {
                return try await body(KubeFixtureServer(port: port))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StartFailure(description: "the fixture server did not start within 60 s")
    }

    struct Recorded: Decodable, Equatable {
        var method: String
        var path: String
        var query: [String: String]
        var contentType: String?
        var authorization: String?
        var body: String
    }

    func requests() async throws -> [Recorded] {
        let response = try await HTTPClient(configuration: .init(proxy: .none)).send(HTTPRequest(url: "\(url)/_requests"))
        return try JSONDecoder().decode([Recorded].self, from: response.body)
    }
}

/// The cloudmart example snapshot, plus saved logs for two of its three crash-looping containers.
func cloudmartObjects() throws -> (Data, Snapshot) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/examples/cloudmart/snapshot.json").standardizedFileURL
    var list = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    var items = list["items"] as! [[String: Any]]
    for (pod, container, text) in [("api-service-57658455b-2vb5v", "api", "line 1\nline 2\npanic: pool exhausted\n"),
                                   ("auth-service-d7466fdcf-gtmkr", "auth", "FATAL: missing JWT_SECRET\n")] {
        items.append(["apiVersion": "medic.io/v1", "kind": "PodLog", "metadata": ["namespace": "production", "name": pod],
                      "container": container, "previous": true, "log": text])
    }
    list["items"] = items
    let data = try JSONSerialization.data(withJSONObject: list)
    return (data, try Snapshot.decode(data, source: "cloudmart"))
}

@Suite("KubeReader and KubeWriter against an HTTP server")
struct ClientServerTests {
    @Test("list follows continue tokens page by page and stamps kind and apiVersion on items")
    func pagination() async throws {
        let (objects, expected) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects) { server in
            var reader = KubeReader(connection: server.connection)
            reader.pageSize = 4
            let pods = try await reader.list(Pod.self)
            #expect(pods.items == expected.pods)
            #expect(pods.resourceVersion == "100")
            let requests = try await server.requests()
            #expect(requests.map(\.path) == Array(repeating: "/api/v1/pods", count: 3))
            #expect(requests.map(\.query) == [
                ["limit": "4"], ["limit": "4", "continue": "NA=="], ["limit": "4", "continue": "OA=="],
            ])
            let production = try await reader.list(Deployment.self, namespace: "production")
            #expect(production.items == expected.deployments.filter { $0.metadata.namespace == "production" })
            #expect(production.items.first?.kind == "Deployment")
            #expect(production.items.first?.apiVersion == "apps/v1")
        }
    }

    @Test("get returns one object; logs pass container, previous and tailLines")
    func getAndLogs() async throws {
        let (objects, expected) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects) { server in
            let reader = KubeReader(connection: server.connection)
            let pod = try await reader.get(Pod.self, name: "api-service-57658455b-2vb5v", namespace: "production")
            #expect(pod == expected.pods.first { $0.metadata.name == "api-service-57658455b-2vb5v" })
            let log = try await reader.logs(
                pod: "api-service-57658455b-2vb5v", namespace: "production",
                options: .init(container: "api", previous: true, tailLines: 2))
            #expect(log == "line 2\npanic: pool exhausted\n")
            let recorded = try await server.requests().last
            #expect(recorded?.path == "/api/v1/namespaces/production/pods/api-service-57658455b-2vb5v/log")
            #expect(recorded?.query == ["container": "api", "previous": "true", "tailLines": "2"])
            await #expect(throws: KubeAPIError.self) {
                _ = try await reader.get(Pod.self, name: "gone", namespace: "production")
            }
        }
    }

    @Test("the live snapshot reader gives the same Snapshot as the file, with previous logs of crash-looping pods")
    func liveSnapshot() async throws {
        let (objects, expected) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects) { server in
            let started = Date()
            let reading = try await ClusterSnapshotReader(reader: KubeReader(connection: server.connection)).read()
            // The reading records when it was taken; the rest is the file's content.
            let captured = try #require(reading.snapshot.capturedAt)
            #expect(abs(captured.timeIntervalSince(started)) < 2)
            var expected = expected
            expected.capturedAt = captured
            #expect(reading.snapshot == expected)
            #expect(reading.snapshot.podLogs.map(\.container) == ["api", "auth"])
            #expect(reading.warnings == [
                "medic cannot get logs of pods \"api-service-57658455b-zv48r\" in namespace \"production\": HTTP 400 BadRequest "
                    + "(previous terminated container \"api\" in pod \"api-service-57658455b-zv48r\" not found)",
            ])
            let logRequests = try await server.requests().filter { $0.path.hasSuffix("/log") }
            // Bounded: the last 50 lines, and at most 64 KiB of them.
            #expect(Set(logRequests.map(\.query)) == [["container": "api", "previous": "true", "tailLines": "50", "limitBytes": "65536"],
                                                      ["container": "auth", "previous": "true", "tailLines": "50", "limitBytes": "65536"]])
            let saved = try reading.snapshot.encodedList()
            #expect(try Snapshot.decode(saved, source: "saved") == expected)
        }
    }

    @Test("with a crash-log cache, a second read fetches no log it already has, and keeps the same logs and warnings")
    func crashLogsAreFetchedOncePerCrash() async throws {
        let (objects, _) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects) { server in
            let cache = CrashLogCache()
            let reader = ClusterSnapshotReader(reader: KubeReader(connection: server.connection), logCache: cache)
            let first = try await reader.read()
            let fetched = try await server.requests().filter { $0.path.hasSuffix("/log") }.count
            #expect(fetched == 3)
            #expect(await cache.count == 3, "two logs and the one the kubelet no longer has")
            let second = try await reader.read()
            #expect(try await server.requests().filter { $0.path.hasSuffix("/log") }.count == fetched)
            #expect(second.snapshot.podLogs == first.snapshot.podLogs)
            #expect(second.warnings == first.warnings)
            // Without a cache every read fetches them again.
            _ = try await ClusterSnapshotReader(reader: KubeReader(connection: server.connection)).read()
            #expect(try await server.requests().filter { $0.path.hasSuffix("/log") }.count == 2 * fetched)
        }
    }

    @Test("with a namespace, the reader gets that namespace and lists only inside it")
    func oneNamespace() async throws {
        let (objects, expected) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects) { server in
            let reading = try await ClusterSnapshotReader(reader: KubeReader(connection: server.connection), namespace: "production").read()
            #expect(reading.snapshot.namespaces.map(\.metadata.name) == ["production"])
            #expect(reading.snapshot.pods == expected.pods.filter { $0.metadata.namespace == "production" })
            let paths = Set(try await server.requests().map(\.path).filter { !$0.hasSuffix("/log") })
            #expect(paths == [
                "/api/v1/namespaces/production", "/api/v1/namespaces/production/pods", "/api/v1/namespaces/production/services",
                "/api/v1/namespaces/production/endpoints", "/api/v1/namespaces/production/events",
                "/api/v1/namespaces/production/configmaps", "/apis/apps/v1/namespaces/production/deployments", "/apis/apps/v1/namespaces/production/replicasets",
                "/apis/apps/v1/namespaces/production/statefulsets", "/apis/apps/v1/namespaces/production/daemonsets",
                "/apis/networking.k8s.io/v1/namespaces/production/networkpolicies",
                "/apis/networking.k8s.io/v1/namespaces/production/ingresses",
                "/apis/gateway.networking.k8s.io/v1/namespaces/production/httproutes",
            ])
        }
    }

    @Test("the writer sends patch types, dryRun=All and fieldManager; delete accepts a Status")
    func writer() async throws {
        let (objects, _) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects) { server in
            let writer = KubeWriter(connection: server.connection)
            let patch = Data(#"{"spec":{"replicas":3}}"#.utf8)
            let patched = try await writer.patch(
                Deployment.self, name: "api-service", namespace: "production", patch: patch, as: .strategicMerge,
                options: .init(dryRun: true))
            #expect(patched.metadata.name == "api-service")
            _ = try await writer.patch(Deployment.self, name: "api-service", namespace: "production", patch: patch, as: .merge)
            let deleted = try await writer.delete(Pod.self, name: "api-service-57658455b-2vb5v", namespace: "production")
            #expect(deleted == nil)
            let requests = try await server.requests()
            #expect(requests.map(\.method) == ["PATCH", "PATCH", "DELETE"])
            #expect(requests[0].contentType == "application/strategic-merge-patch+json")
            #expect(requests[0].query == ["dryRun": "All", "fieldManager": "medic"])
            #expect(requests[0].body == #"{"spec":{"replicas":3}}"#)
            #expect(requests[1].contentType == "application/merge-patch+json")
            #expect(requests[1].query == ["fieldManager": "medic"])
            #expect(requests[2].path == "/api/v1/namespaces/production/pods/api-service-57658455b-2vb5v")
            #expect(requests.allSatisfy { $0.authorization == nil })
        }
    }
}
