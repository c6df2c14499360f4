import Hummingbird
import ServiceLifecycle

/// The HTTP server as a service. Open watches never end by themselves, so cancellation and
/// graceful shutdown end them first; the server then stops (gracefully: answering the
/// requests in flight).
struct APIServer: Service {
    let sim: KubeSim
    let application: Application<APIResponder>

    func run() async throws {
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await application.run()
        } onCancelOrGracefulShutdown: { [sim] in
            sim.closeWatches()
        }
    }
}

/// The played scenario's clock: moves it to now every second (`KubeSim.advance`) until the
/// group stops.
struct ScenarioClock: Service {
    let sim: KubeSim

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                return
            }
            sim.advance()
        }
    }
}
