import Foundation
import Hummingbird
import MedicKube
import NIOCore

/// A watch: the initial objects (or the history since the requested resourceVersion, 410
/// when it is too old), then each change as it is committed, BOOKMARKs when asked for, until
/// `timeoutSeconds` or the client goes away.
struct WatchHandler: Sendable {
    let sim: KubeSim
    let bookmarkInterval: Duration

    func respond(to target: ResourceRequest) throws -> Response {
        let selection = try target.query.selectors()
        let requested = target.query["resourceVersion"] ?? ""
        let (stream, continuation) = AsyncStream<WatchItem>.makeStream()
        let id = UUID()
        let watcher = Watcher(resource: target.type, namespace: target.namespace, labels: selection.labels,
                              fields: selection.fields, continuation: continuation)
        let start: WatchStart = sim.state.withLock { state in
            var since: Int64?
            if !requested.isEmpty, requested != "0" {
                guard let version = Int64(requested) else {
                    return .error(APIError.badRequest("invalid resource version: \(requested)"))
                }
                since = version
            }
            do throws(APIError) {
                return .events(try state.watch(watcher, id: id, since: since))
            } catch {
                return .error(error)
            }
        }
        let timeout = Duration.seconds(target.query["timeoutSeconds"].flatMap(Int.init) ?? 1800)
        let bookmarks = target.query.flag("allowWatchBookmarks")
        let interval = bookmarkInterval
        let ticker = Task {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                try? await Task.sleep(for: min(interval, deadline - ContinuousClock.now))
                if Task.isCancelled { return }
                if bookmarks { continuation.yield(.bookmark) }
            }
            continuation.finish()
        }
        let sim = sim
        continuation.onTermination = { _ in
            ticker.cancel()
            sim.state.withLock { $0.endWatch(id) }
        }
        let encoder = WatchEncoder(target: target, now: sim.state.withLock { $0.clock() })
        var response = Response(status: .ok, body: ResponseBody { writer in
            var encoder = encoder
            switch start {
            case .error(let error):
                continuation.finish()
                try await writer.write(encoder.line(type: "ERROR", object: error.status))
            case .events(let initial):
                for event in initial {
                    try await writer.write(encoder.line(event))
                }
                streaming: for await item in stream {
                    switch item {
                    case .closed:
                        break streaming
                    case .dropped:
                        throw WatchDropped()
                    case .event(let event):
                        try await writer.write(encoder.line(event))
                    case .bookmark:
                        let version = sim.resourceVersion
                        try await writer.write(encoder.line(type: "BOOKMARK", object: [
                            "kind": .string(target.type.kind), "apiVersion": .string(target.type.apiVersion),
                            "metadata": ["resourceVersion": .string(version)],
                        ]))
                    }
                }
            }
            continuation.finish()
            try await writer.finish(nil)
        })
        response.headers[.contentType] = "application/json"
        return response
    }

    /// Thrown out of the response body, so the connection closes without the last chunk.
    private struct WatchDropped: Error {}

    private enum WatchStart: Sendable {
        case events([WatchEvent])
        case error(APIError)
    }
}

/// One watch stream's encoder: Table-wrapped objects when the client asked for a Table,
/// column definitions only on the first event.
struct WatchEncoder {
    var target: ResourceRequest
    var now: Date
    private var sentColumns = false

    init(target: ResourceRequest, now: Date) {
        self.target = target
        self.now = now
    }

    mutating func line(_ event: WatchEvent) -> ByteBuffer {
        var object = target.type.presented(event.object)
        if target.wantsTable {
            object = TableRenderer(now: now).table(
                target.type, objects: [object],
                listMetadata: ["resourceVersion": event.object[path: ["metadata", "resourceVersion"]] ?? ""],
                includeObject: target.query["includeObject"] ?? "Metadata", withColumns: !sentColumns)
            sentColumns = true
        }
        return line(type: event.type, object: object)
    }

    func line(type: String, object: JSON) -> ByteBuffer {
        var data = JSON.object(["type": .string(type), "object": object]).serialized()
        data.append(0x0A)
        return ByteBuffer(data: data)
    }
}
