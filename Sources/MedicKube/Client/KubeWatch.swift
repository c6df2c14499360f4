import Foundation

/// A watch as an `AsyncSequence` of typed events that keeps itself alive the way client-go's
/// reflector does: a normally closed watch is resumed from the last resourceVersion; a 410
/// (an `ERROR` event with reason `Expired`/`Gone`, or HTTP 410 on the request) relists and
/// yields `.relisted`. Other errors end the sequence. Stopping the iteration cancels the request.
public struct KubeWatch<Object: KubeObject>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>
    public typealias Failure = KubeAPIError

    let reader: KubeReader
    let namespace: String?
    let resourceVersion: String?
    let selection: KubeReader.Selection
    let timeoutSeconds: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Element, any Error>.AsyncIterator

        public mutating func next() async throws(KubeAPIError) -> Element? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KubeAPIError) -> Element? {
            do {
                return try await base.next(isolation: actor)
            } catch let error as KubeAPIError {
                throw error
            } catch {
                throw KubeAPIError(
                    code: .unreachable, verb: "watch", resource: Object.resource.groupResource, server: "",
                    message: String(describing: error)
                )
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        let task = Task { [self] in
            do {
                try await run { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return AsyncIterator(base: stream.makeAsyncIterator())
    }

    /// A watch that ends quickly without events is not restarted at once, so a server that
    /// keeps closing the stream is not hammered.
    static var minimumWatchDuration: Duration { .seconds(1) }

    private func run(_ yield: (Element) -> Void) async throws(KubeAPIError) {
        var version = resourceVersion
        while !Task.isCancelled {
            guard let from = version, !from.isEmpty else {
                let list = try await reader.list(Object.self, namespace: namespace, selection: selection)
                yield(.relisted(list.items, resourceVersion: list.resourceVersion))
                version = list.resourceVersion
                continue
            }
            var request = KubeRequest(verb: "watch", resource: Object.resource, namespace: namespace)
            request.query = selection.query + [
                ("allowWatchBookmarks", "true"), ("resourceVersion", from),
                ("timeoutSeconds", String(timeoutSeconds)), ("watch", "true"),
            ]
            request.timeout = .seconds(timeoutSeconds + 30)
            let started = ContinuousClock.now
            switch try await watchOnce(request, from: from, yield) {
            case .expired:
                version = nil
            case .closed(let last):
                version = last
                let elapsed = ContinuousClock.now - started
                if elapsed < Self.minimumWatchDuration {
                    try? await Task.sleep(for: Self.minimumWatchDuration - elapsed)
                }
            }
        }
    }

    private enum Ending {
        case closed(lastVersion: String)
        case expired
    }

    private func watchOnce(
        _ request: KubeRequest, from: String, _ yield: (Element) -> Void
    ) async throws(KubeAPIError) -> Ending {
        let transport = reader.transport
        var last = from
        var buffer = WatchLineBuffer()
        do {
            let stream = try await transport.stream(request)
            var lines: [Data] = []
            var iterator = stream.makeAsyncIterator()
            while true {
                if lines.isEmpty {
                    guard let chunk = try await iterator.next() else {
                        guard let rest = buffer.finish() else { break }
                        lines = [rest]
                        continue
                    }
                    lines = buffer.append(chunk)
                    continue
                }
                let line = lines.removeFirst()
                let frame: WatchFrame<Object>
                do {
                    frame = try KubeJSON.decode(WatchFrame<Object>.self, from: line)
                } catch {
                    let text = String(decoding: line.prefix(200), as: UTF8.self)
                    throw transport.failure(.badResponse, request, "cannot decode the watch event \(text): \(error)")
                }
                switch frame {
                case .event(let event, let version):
                    if let version, !version.isEmpty { last = version }
                    yield(event)
                case .error(let status):
                    let error = KubeAPIError(status: status, request: request, server: transport.connection.server)
                    if error.code == .gone { return .expired }
                    throw error
                }
            }
        } catch {
            let failure = transport.error(error, request)
            if failure.code == .gone { return .expired }
            throw failure
        }
        return .closed(lastVersion: last)
    }
}
