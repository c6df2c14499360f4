import MedicKube
import ServiceLifecycle

/// The watched cache of `medic run` as a service: started before the controller, so the
/// first pass finds its lists under way, and stopped with the group.
struct RunInformer: ServiceLifecycle.Service {
    var informer: ClusterInformer

    func run() async throws {
        try await cancelWhenGracefulShutdown { await informer.run() }
    }
}
