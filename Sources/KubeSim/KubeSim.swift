import MedicKube
import Foundation
import Synchronization

/// An in-memory Kubernetes API server: the objects, the controllers that act on them and the
/// watch history, shared by the HTTP front end (`start`) and by tests that read and write the
/// store directly. Every write returns only after the controllers have settled, so what a
/// test reads next is deterministic.
public final class KubeSim: Sendable {
    let state: Mutex<ClusterState>
    /// Failures armed with `injectFault`, applied by the HTTP front end.
    let faults = Mutex(FaultInjection())
    /// Where the HTTP front end records requests, when asked (`logRequests(to:)`).
    let requestLog = Mutex<RequestLog?>(nil)

    /// - Parameters:
    ///   - podStatusModel: decides the status of every pod the controllers create.
    ///   - watchHistory: how many events stay replayable for `watch` from an old resourceVersion;
    ///     older ones get `410 Expired`.
    ///   - clock: the time new objects are stamped with.
    public init(podStatusModel: any PodStatusModel = HealthyPods(), watchHistory: Int = 1000,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        state = Mutex(ClusterState(statusModel: podStatusModel, historyCapacity: watchHistory, clock: clock))
    }

    // MARK: Loading

    /// Loads YAML or JSON manifests (multi-document, or a `kubectl get -o json` List). Loaded
    /// objects keep their status, uid and creationTimestamp; controllers act only on workloads
    /// whose spec was never observed (`status.observedGeneration` behind `metadata.generation`)
    /// and on Services that came without Endpoints.
    public func load(manifests text: String, source: String = "<manifest>") throws(ManifestError) {
        let catalog = state.withLock { $0.catalog }
        let objects = try ManifestLoader.objects(in: text, source: source, catalog: catalog)
        state.withLock { state in
            // A snapshot that brings its own nodes replaces the standard one nobody declared.
            if objects.contains(where: { $0["kind"]?.string == "Node" }), state.hasOnlyStandardNode {
                state.installNodes([])
            }
            for object in objects { state.insertLoaded(object) }
            state.reconcileLoaded()
        }
    }

    public func load(file path: String) throws(ManifestError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError(source: path, message: "cannot read it; expected Kubernetes manifests (YAML or JSON)")
        }
        try load(manifests: String(decoding: data, as: UTF8.self), source: path)
    }

    /// Replaces the cluster's nodes (the standard `kube-sim` node, or what was loaded) with
    /// these; Pending pods are scheduled again at once.
    public func setNodes(_ nodes: [ClusterNode]) {
        state.withLock { $0.installNodes(nodes) }
    }

    // MARK: Scenarios

    /// Plays a scenario: its history is simulated up to now at once (timeline applied, pods
    /// started, crashed and restarted, load served), and from then on `advance()` moves it
    /// with the wall clock (a running server does so every second). Returns the history's
    /// metrics as OpenMetrics text, for `promtool tsdb create-blocks-from openmetrics`.
    ///
    /// With a `liveAfter` lead the history runs that far past now and the story stands still
    /// (`/metrics` answers 503) until the wall clock catches up: a Prometheus that backfills the
    /// history and starts scraping meanwhile then has no gap between the two, which would bend
    /// every `rate()` whose window ends inside it.
    @discardableResult
    public func play(_ scenario: Scenario, source: String = "<scenario>",
                     liveAfter: TimeInterval = 0) throws(ScenarioError) -> String {
        try state.withLock { state throws(ScenarioError) in
            try state.play(scenario, source: source, liveAfter: liveAfter)
        }
    }

    /// Moves the scenario being played to now: load, kubelet, controllers. Without one, only
    /// the controllers' timers run (a rollout past its progress deadline is marked so).
    public func advance() {
        state.withLock { state in
            guard state.runtime != nil else {
                state.queueTimers(at: state.clock())
                state.settle()
                return
            }
            state.advanceScenario(to: state.clock())
        }
    }

    /// The scenario's metrics now, in Prometheus text format 0.0.4 (`GET /metrics`); empty
    /// when no scenario is played, nil while its history still runs ahead of the wall clock.
    public func metricsText() -> String? {
        state.withLock { state in
            let now = state.clock()
            guard let runtime = state.runtime else { return MetricExposition.text([]) }
            guard runtime.lastTick <= now else { return nil }
            return MetricExposition.text(runtime.traffic.samples(cluster: state, at: now))
        }
    }

    /// Whether a scenario is being played (a running server then ticks it).
    public var isPlaying: Bool { state.withLock { $0.playsScenario } }

    // MARK: Direct store access

    /// Objects of one type, in namespace/name order; all namespaces when `namespace` is nil.
    public func objects(_ type: ResourceType, namespace: String? = nil) -> [JSON] {
        state.withLock { $0.list(type, namespace: namespace) }
    }

    /// The resources served now: the built-ins and those of established CRDs.
    public var catalog: ResourceCatalog { state.withLock { $0.catalog } }

    public func get(_ type: ResourceType, namespace: String = "default", name: String) -> JSON? {
        state.withLock { $0.get(type, namespace: namespace, name: name) }
    }

    /// Stores an object exactly as given, status included (creating or replacing it), then
    /// runs the controllers as after any API write. Tests use it to set pod statuses.
    @discardableResult
    public func put(_ object: JSON) throws(APIError) -> JSON {
        return try state.withLock { state throws(APIError) in
            guard let type = state.catalog.forObject(object) else {
                throw APIError.badRequest("KubeSim does not serve kind \(object["kind"]?.string ?? "<none>")")
            }
            let stored: JSON
            if let old = state.get(type, namespace: ClusterState.namespace(object), name: ClusterState.name(object)) {
                var updated = object
                for field in ["uid", "creationTimestamp"] where updated[path: ["metadata", field]] == nil {
                    updated[path: ["metadata", field]] = old[path: ["metadata", field]]
                }
                stored = state.save(type, updated)
            } else {
                stored = state.insertLoaded(object)
                state.queueControllers(after: WatchEvent(type: "ADDED", resourceVersion: 0, resource: type, object: stored))
            }
            state.settle()
            return state.get(type, namespace: ClusterState.namespace(stored), name: ClusterState.name(stored)) ?? stored
        }
    }

    /// Deletes an object and what it owns, as `kubectl delete` with background propagation.
    public func delete(_ type: ResourceType, namespace: String = "default", name: String) throws(APIError) {
        _ = try state.withLock { state throws(APIError) in
            try state.delete(type, namespace: namespace, name: name, options: DeleteOptions())
        }
    }

    /// Sets what `GET …/pods/<pod>/log` returns for a container (`previous` for `--previous`).
    public func setLog(_ text: String, namespace: String = "default", pod: String, container: String,
                       previous: Bool = false) {
        state.withLock {
            $0.logs[.init(namespace: namespace, pod: pod, container: container, previous: previous)] = text
        }
    }

    /// The cluster's current resourceVersion (the global write counter).
    public var resourceVersion: String {
        state.withLock { String($0.resourceVersion) }
    }

    /// Cuts every open watch's connection mid-stream, as a restarting API server or a proxy
    /// timing out does: the client sees the transfer end without its last chunk (an error, not
    /// a normal close), while the server keeps serving.
    public func dropWatches() {
        let watchers = state.withLock { $0.removeAllWatches() }
        for watcher in watchers {
            watcher.continuation.yield(.dropped)
            watcher.continuation.finish()
        }
    }

    /// Ends every open watch stream; the server's graceful shutdown waits for them otherwise.
    /// Finishing a stream runs its termination handler, which takes the lock again, so the
    /// streams are finished after the lock is released.
    func closeWatches() {
        let watchers = state.withLock { $0.removeAllWatches() }
        for watcher in watchers { watcher.continuation.finish() }
    }
}
