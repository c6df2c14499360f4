import Foundation
import Testing
@testable import MedicKube

private func watchFixture() throws -> Data {
    try Data(contentsOf: Fixture.url("client-watch-stream.jsonl"))
}

/// A readable form of an event, to compare sequences.
private func summary(_ event: WatchEvent<Pod>) -> String {
    switch event {
    case .added(let pod): "ADDED \(pod.metadata.name) \(pod.status.phase ?? "-") rv=\(pod.metadata.resourceVersion ?? "")"
    case .modified(let pod): "MODIFIED \(pod.metadata.name) \(pod.status.phase ?? "-") rv=\(pod.metadata.resourceVersion ?? "")"
    case .deleted(let pod): "DELETED \(pod.metadata.name) rv=\(pod.metadata.resourceVersion ?? "")"
    case .bookmark(let version): "BOOKMARK rv=\(version)"
    case .relisted(let pods, let version): "RELISTED \(pods.count) pods rv=\(version)"
    }
}

private func decode(_ lines: [Data]) throws -> [String] {
    try lines.map { line in
        switch try KubeJSON.makeDecoder().decode(WatchFrame<Pod>.self, from: line) {
        case .event(let event, _): summary(event)
        case .error(let status): "ERROR \(status.code ?? 0) \(status.reason ?? "")"
        }
    }
}

private let expectedEvents = [
    "ADDED web-1 Pending rv=101", "MODIFIED web-1 Running rv=102", "BOOKMARK rv=150", "DELETED web-1 rv=151",
]

@Suite("watch")
struct ClientWatchTests {
    @Test("a watch stream decodes into typed events, bookmarks carrying only the resourceVersion")
    func decoding() throws {
        var buffer = WatchLineBuffer()
        let lines = try buffer.append(watchFixture())
        #expect(try decode(lines) == expectedEvents)
        let rest = buffer.finish()
        #expect(rest == nil)
    }

    @Test("lines split across chunks anywhere, even byte by byte, decode the same")
    func partialChunks() throws {
        let data = try watchFixture()
        for split in stride(from: 1, to: data.count, by: 7) {
            var buffer = WatchLineBuffer()
            let lines = buffer.append(data.prefix(split)) + buffer.append(data.dropFirst(split))
            #expect(try decode(lines) == expectedEvents, "split at byte \(split)")
        }
        var buffer = WatchLineBuffer()
        let lines = data.flatMap { buffer.append(Data([$0])) }
        #expect(try decode(lines) == expectedEvents)
    }

    @Test("a last line without a newline is still delivered when the stream ends")
    func unterminated() throws {
        var buffer = WatchLineBuffer()
        let text = #"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}"#
        let complete = buffer.append(Data(text.utf8))
        #expect(complete.isEmpty)
        let rest = buffer.finish()
        #expect(try decode([rest ?? Data()]) == ["BOOKMARK rv=9"])
    }

    @Test("a watch resumes from the last resourceVersion when closed and relists on a 410 ERROR event")
    func resumeAndRelist() async throws {
        let (objects, expected) = try cloudmartObjects()
        let lines: [String] = try String(decoding: watchFixture(), as: UTF8.self).split(separator: "\n").map { String($0) + "\n" }
        let expiredEvent = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 151 (180)","reason":"Expired","code":410}}"# + "\n"
        let first: String = lines[0]
        let second: String = lines[1]
        let third: String = lines[2]
        var watch: [String: [String]] = [:]
        // Split mid-line: the first event arrives in three chunks, the bookmark in two.
        watch["1"] = [String(first.prefix(40)), String(first.dropFirst(40).prefix(60)), String(first.dropFirst(100))]
        watch["101"] = [second + String(third.prefix(25)), String(third.dropFirst(25))]
        watch["150"] = [lines[3], expiredEvent]
        try await KubeFixtureServer.with(objects: objects, watch: watch) { server in
            let reader = KubeReader(connection: server.connection)
            var seen: [String] = []
            for try await event in reader.watch(Pod.self, resourceVersion: "1", timeoutSeconds: 30) {
                seen.append(summary(event))
                if case .relisted(let pods, _) = event {
                    #expect(pods == expected.pods)
                    break
                }
            }
            #expect(seen == expectedEvents + ["RELISTED 11 pods rv=100"])
            // After the relist the watch goes on from the list's version (it may already have).
            let requests = try await server.requests()
            #expect(requests.dropFirst(4).allSatisfy { $0.query["resourceVersion"] == "100" })
            #expect(Array(requests.map(\.query).prefix(4)) == [
                ["allowWatchBookmarks": "true", "resourceVersion": "1", "timeoutSeconds": "30", "watch": "true"],
                ["allowWatchBookmarks": "true", "resourceVersion": "101", "timeoutSeconds": "30", "watch": "true"],
                ["allowWatchBookmarks": "true", "resourceVersion": "150", "timeoutSeconds": "30", "watch": "true"],
                ["limit": "500"],
            ])
        }
    }

    @Test("without a resourceVersion a watch lists first; a non-410 ERROR ends it with a typed error")
    func listFirstAndFail() async throws {
        let (objects, _) = try cloudmartObjects()
        let forbidden = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"internal error","reason":"InternalError","code":500}}"# + "\n"
        try await KubeFixtureServer.with(objects: objects, watch: ["100": [forbidden]]) { server in
            let reader = KubeReader(connection: server.connection)
            var seen: [String] = []
            do {
                for try await event in reader.watch(Pod.self, namespace: "production", timeoutSeconds: 30) {
                    seen.append(summary(event))
                }
                Issue.record("expected the watch to fail")
            } catch let error as KubeAPIError {
                #expect(error.code == .other)
                #expect(error.description == #"medic cannot watch pods in namespace "production": HTTP 500 InternalError (internal error)"#)
            }
            #expect(seen == ["RELISTED 9 pods rv=100"])
        }
    }
}
