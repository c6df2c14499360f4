import Foundation

/// Reads from a live cluster exactly what a snapshot file holds: namespaces, pods, the
/// workload kinds, services, endpoints, events, the feature-flag files of ConfigMaps (when
/// medic may list them), and the previous log of every crash-looping container. The result is the same `Snapshot` value the diagnosis engine reads from a file.
public struct ClusterSnapshotReader: Sendable {
    public var reader: KubeReader
    /// One namespace, or nil for all of them.
    public var namespace: String?
    /// How much of each crashed container's previous log to keep.
    public var logTailLines: Int
    /// Logs already fetched for a crash, reused until the container crashes again; nil: fetch all.
    public var logCache: CrashLogCache?

    /// Log requests in flight at once: a cluster with hundreds of crash-looping containers
    /// must not get hundreds of log streams from one pass.
    public static let logConcurrency = 8

    public init(reader: KubeReader, namespace: String? = nil, logTailLines: Int = 50, logCache: CrashLogCache? = nil) {
        self.reader = reader
        self.namespace = namespace
        self.logTailLines = logTailLines
        self.logCache = logCache
    }

    /// A snapshot, and what could not be read without failing the whole read (a log the
    /// kubelet no longer has, a namespace object medic may not get).
    public struct Reading: Sendable {
        public var snapshot: Snapshot
        public var warnings: [String]
        /// Set when the namespace asked for does not exist: the names that do, or nil when
        /// medic may not list them. An empty namespace must not read as a healthy one.
        public var missingNamespace: MissingNamespace?
        /// What changed since the previous reading, from a watched cache; nil from a round of
        /// LISTs, which knows nothing of before.
        public var changes: ClusterChanges?
        /// The same, object by object as they were and are, for the kinds a view is patched
        /// for; nil from a round of LISTs.
        public var edits: ClusterEdits?

        public init(snapshot: Snapshot, warnings: [String] = [], missingNamespace: MissingNamespace? = nil,
                    changes: ClusterChanges? = nil, edits: ClusterEdits? = nil) {
            self.snapshot = snapshot
            self.warnings = warnings
            self.missingNamespace = missingNamespace
            self.changes = changes
            self.edits = edits
        }
    }

    public struct MissingNamespace: Sendable, Equatable {
        public var name: String
        public var known: [String]?
    }

    public func read() async throws(KubeAPIError) -> Reading {
        let started = Date()
        let reader = reader
        let namespace = namespace
        async let namespaces = attempt { () async throws(KubeAPIError) in try await readNamespaces() }
        async let pods = attempt { () async throws(KubeAPIError) in try await reader.list(Pod.self, namespace: namespace).items }
        async let deployments = attempt { () async throws(KubeAPIError) in try await reader.list(Deployment.self, namespace: namespace).items }
        async let replicaSets = attempt { () async throws(KubeAPIError) in try await reader.list(ReplicaSet.self, namespace: namespace).items }
        async let statefulSets = attempt { () async throws(KubeAPIError) in try await reader.list(StatefulSet.self, namespace: namespace).items }
        async let daemonSets = attempt { () async throws(KubeAPIError) in try await reader.list(DaemonSet.self, namespace: namespace).items }
        async let services = attempt { () async throws(KubeAPIError) in try await reader.list(Service.self, namespace: namespace).items }
        async let endpoints = attempt { () async throws(KubeAPIError) in try await reader.list(Endpoints.self, namespace: namespace).items }
        async let events = attempt { () async throws(KubeAPIError) in try await reader.list(Event.self, namespace: namespace).items }
        async let configMaps = attempt { () async throws(KubeAPIError) in try await reader.list(ConfigMap.self, namespace: namespace).items }
        async let networkPolicies = attempt { () async throws(KubeAPIError) in
            try await reader.list(NetworkPolicy.self, namespace: namespace).items
        }
        async let ingresses = attempt { () async throws(KubeAPIError) in try await reader.list(Ingress.self, namespace: namespace).items }
        async let httpRoutes = attempt { () async throws(KubeAPIError) in try await reader.list(HTTPRoute.self, namespace: namespace).items }

        var snapshot = Snapshot(capturedAt: Date(timeIntervalSince1970: started.timeIntervalSince1970.rounded(.down)))
        let (items, readWarnings, missing) = try await namespaces.get()
        var warnings = readWarnings
        snapshot.namespaces = items
        snapshot.pods = try await pods.get()
        snapshot.deployments = try await deployments.get()
        snapshot.replicaSets = try await replicaSets.get()
        snapshot.statefulSets = try await statefulSets.get()
        snapshot.daemonSets = try await daemonSets.get()
        snapshot.services = try await services.get()
        snapshot.endpoints = try await endpoints.get()
        snapshot.events = try await events.get()
        // Kinds medic can do without: unreadable, what they would show goes unchecked and the
        // report says so; a server without them (404) has nothing of theirs to find.
        snapshot.configMaps = try optional(await configMaps, warnings: &warnings, unchecked: Self.configMapsUnchecked)
            .filter { !$0.data.isEmpty }
        snapshot.networkPolicies = try optional(await networkPolicies, warnings: &warnings, unchecked: Self.networkPoliciesUnchecked)
        snapshot.ingresses = try optional(await ingresses, warnings: &warnings, unchecked: Self.routesUnchecked)
        snapshot.httpRoutes = try optional(await httpRoutes, warnings: &warnings, unchecked: Self.routesUnchecked)

        let (logs, logWarnings) = await previousLogs(of: snapshot.pods, at: started)
        snapshot.podLogs = logs
        warnings += logWarnings
        return Reading(snapshot: snapshot, warnings: warnings, missingNamespace: missing)
    }

    /// The namespaces: all of them, or the one asked for (got by name). A namespace that does
    /// not exist is `missing` (with the names that do, when medic may list them); one medic may
    /// not get is a warning. Any other failure stops the read.
    func readNamespaces() async throws(KubeAPIError) -> ([Namespace], warnings: [String], missing: MissingNamespace?) {
        guard let namespace else { return (try await reader.list(Namespace.self).items, [], nil) }
        do {
            return ([try await reader.get(Namespace.self, name: namespace)], [], nil)
        } catch where error.code == .notFound {
            let all = try? await reader.list(Namespace.self).items
            return ([], [], MissingNamespace(name: namespace, known: all.map { $0.map(\.metadata.name).sorted() }))
        } catch where error.code == .forbidden {
            return ([], [error.description], nil)
        }
    }

    static let configMapsUnchecked = "ConfigMaps are not readable, so feature flags that inject faults are not checked"
    static let networkPoliciesUnchecked = "NetworkPolicies are not readable, so a workload they cut off is not recognised"
    static let routesUnchecked = "Ingresses or HTTPRoutes are not readable, so the entry points they route to are not known"

    /// Containers in a crash loop (`ContainerStatus.isCrashLooping`), also when the snapshot
    /// catches one between two crashes: their previous instance's log usually says why.
    public static func crashLooping(_ pod: Pod, at now: Date) -> [String] {
        // Most pods never restarted: asked of every pod a round of LISTs brings, the answer
        // for them should allocate nothing (`Pod.restarts`, as the informer asks it).
        guard pod.restarts > 0 else { return [] }
        // Each list apart: joining them copied every pod's statuses on every pass.
        return pod.status.initContainerStatuses.filter { $0.isCrashLooping(at: now) }.map(\.name)
            + pod.status.containerStatuses.filter { $0.isCrashLooping(at: now) }.map(\.name)
    }

    /// What medic reads of one crash log at most: its last lines name the cause.
    public static let logLimitBytes = 64 << 10

    /// The previous logs of the crash-looping containers of `pods`: from the cache for a crash
    /// already read, else fetched, `logConcurrency` at a time.
    func previousLogs(of pods: [Pod], at now: Date) async -> ([PodLog], [String]) {
        let wanted = pods.flatMap { pod in
            Self.crashLooping(pod, at: now).map { container in
                CrashLogCache.Key(namespace: pod.metadata.namespace ?? "default", pod: pod.metadata.name, uid: pod.metadata.uid ?? "",
                                  container: container,
                                  restartCount: (pod.status.initContainerStatuses + pod.status.containerStatuses)
                                      .first { $0.name == container }?.restartCount ?? 0)
            }
        }
        if let kept = await logCache?.latestRead(of: wanted) { return kept }
        var results = await logCache?.cached(wanted) ?? [:]
        for (key, result) in await fetch(wanted.filter { results[$0] == nil }) { results[key] = result }
        var logs: [PodLog] = []
        // One line per kind of failure, as `Warnings` words it: the hundreds a large cluster
        // has come back from the cache every read, each already knowing its kind.
        var failures: [String: (example: String, count: Int)] = [:]
        for result in results.values {
            switch result {
            case .success(let log): logs.append(log)
            case .failure(let failed):
                failures[failed.kind] = failures[failed.kind].map { (min($0.example, failed.warning), $0.count + 1) }
                    ?? (failed.warning, 1)
            }
        }
        let read = (logs.sorted { $0.key < $1.key }, failures.values.map { Warnings.line(example: $0.example, count: $0.count) }.sorted())
        await logCache?.replace(with: results, keys: wanted, read: read)
        return read
    }

    /// Fetches the previous logs of `keys`, at most `logConcurrency` at a time.
    private func fetch(_ keys: [CrashLogCache.Key]) async -> [(CrashLogCache.Key, CrashLogCache.Entry)] {
        let reader = reader
        let tailLines = logTailLines
        return await withTaskGroup(of: (CrashLogCache.Key, CrashLogCache.Entry).self) { group in
            var pending = keys.dropFirst(Self.logConcurrency)
            var done: [(CrashLogCache.Key, CrashLogCache.Entry)] = []
            func start(_ key: CrashLogCache.Key) {
                group.addTask {
                    let result = await attempt { () async throws(KubeAPIError) in
                        let text = try await reader.logs(
                            pod: key.pod, namespace: key.namespace,
                            options: .init(container: key.container, previous: true, tailLines: tailLines, limitBytes: Self.logLimitBytes)
                        )
                        return PodLog(namespace: key.namespace, pod: key.pod, container: key.container, previous: true, log: text)
                    }
                    return (key, result.mapError { CrashLogCache.Failed(warning: $0.description) })
                }
            }
            for key in keys.prefix(Self.logConcurrency) { start(key) }
            for await finished in group {
                done.append(finished)
                if let key = pending.first {
                    pending = pending.dropFirst()
                    start(key)
                }
            }
            return done
        }
    }
}

/// A typed-throwing call as a value, so `async let` keeps the error's type.
/// The items of a list medic can do without: a 403 becomes a warning (`unchecked`, then the
/// server's words), a 404 an empty list, any other failure stays one.
private func optional<T>(_ result: Result<[T], KubeAPIError>, warnings: inout [String],
                         unchecked: String) throws(KubeAPIError) -> [T] {
    switch result {
    case .success(let items): return items
    case .failure(let error) where error.code == .forbidden:
        warnings.append("\(unchecked): \(error.description)")
        return []
    case .failure(let error) where error.code == .notFound: return []
    case .failure(let error): throw error
    }
}

private func attempt<T>(_ body: () async throws(KubeAPIError) -> T) async -> Result<T, KubeAPIError> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
