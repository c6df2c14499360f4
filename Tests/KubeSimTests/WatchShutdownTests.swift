import Foundation
import MedicHTTP
import Testing
@testable import KubeSim

/// Regression: stopping KubeSim while a watch was open finished the stream inside the store's
/// lock; the stream's termination handler took the lock again and the process died with
/// "Recursive call to lock Mutex".
@Test(.timeLimit(.minutes(1))) func stoppingWithAnOpenWatchShutsDownCleanly() async throws {
    let sim = KubeSim()
    let running = try await sim.start()
    let stream = HTTPClient(configuration: .init(proxy: .none))
        .stream(.init(url: "\(running.baseURL)/api/v1/namespaces/default/pods?watch=1"))
    var iterator = stream.makeAsyncIterator()
    let opened = Task { try await iterator.next() }
    // Let the server register the watcher before shutting it down.
    try await Task.sleep(for: .milliseconds(300))
    await running.stop()
    _ = try? await opened.value
    #expect(sim.state.withLock { $0.watchers.isEmpty })
}
