import Foundation

/// The cluster as `medic run` keeps it between passes, the way client-go's informers do: each
/// kind `ClusterSnapshotReader` lists is listed once, then watched (with bookmarks, resumed
/// from the last resourceVersion, relisted on 410 Gone by `KubeWatch`), into one cache that
/// `read()` hands the diagnosis as the same `Reading` a round of LISTs gives. Every change
/// signals `changes`, so the controller runs a pass within moments instead of at its next
/// interval.
///
/// Never acts on missing data: until a kind's first list has arrived, and from a failed watch
/// until its relist has arrived, `read()` throws as a failed LIST would, and the pass decides
/// nothing. A watch that fails (not a normal close, which `KubeWatch` resumes) is relisted,
/// after a back-off, since what changed meanwhile is unknown.
public actor ClusterInformer {
    /// Where one kind's cache stands.
    public enum KindState: Sendable {
        /// The first list (or the relist after a failure) has not arrived.
        case listing
        case synced
        /// The watch failed; a relist follows after the back-off.
        case failed(KubeAPIError)
    }

    /// One kind's objects by `namespace/name`, with the keys kept sorted and the list `read()`
    /// hands over kept in the same order, changed at the position of each change: at 10,000
    /// pods, sorting them at every pass was a tenth of a pass, and listing them again from the
    /// dictionary after any change still a twentieth.
    struct Store<Object: KubeObject>: Sendable {
        private(set) var objects: [String: Object] = [:]
        private var keys: [String] = []
        private var listed: [Object]?
        var state = KindState.listing
        /// What changed since the last read, for `ClusterEdits`; kept only for the kinds it follows.
        private(set) var edits: [ObjectRef: ClusterEdits.Edit<Object>] = [:]

        /// The edits since the last read, which start again from here.
        mutating func takeEdits() -> [ObjectRef: ClusterEdits.Edit<Object>] {
            defer { edits = [:] }
            return edits
        }

        private mutating func record(_ ref: ObjectRef, old: Object?, new: Object?) {
            guard ClusterEdits.follows(Object.self) else { return }
            edits[ref] = (edits[ref] ?? .init(old: old, new: nil)).then(new)
        }

        /// In the order a LIST gives them (namespace, then name).
        mutating func items() -> [Object] {
            if let listed { return listed }
            let items = keys.map { objects[$0]! }
            listed = items
            return items
        }

        mutating func replace(with items: [Object]) {
            objects = Dictionary(items.map { (Self.key($0), $0) }, uniquingKeysWith: { $1 })
            keys = objects.keys.sorted()
            listed = nil
            // The relist makes the next read's edits incomplete (`pending.everything`).
            edits = [:]
        }

        /// Puts `object` in, sharing what it has unchanged with the one it replaces, and
        /// returns that one.
        mutating func put(_ object: Object) -> Object? {
            let key = Self.key(object)
            let position = position(of: key)
            guard let old = objects[key] else {
                objects[key] = object
                keys.insert(key, at: position)
                listed?.insert(object, at: position)
                record(object.ref, old: nil, new: object)
                return nil
            }
            let new = object.sharing(unchangedFrom: old)
            objects[key] = new
            listed?[position] = new
            record(object.ref, old: old, new: new)
            return old
        }

        mutating func remove(_ object: Object) {
            let key = Self.key(object)
            guard let old = objects.removeValue(forKey: key) else { return }
            let position = position(of: key)
            keys.remove(at: position)
            listed?.remove(at: position)
            record(object.ref, old: old, new: nil)
        }

        /// Where `key` is or would be in `keys`.
        private func position(of key: String) -> Int {
            var low = 0, high = keys.count
            while low < high {
                let middle = (low + high) / 2
                if keys[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low
        }

        static func key(_ object: Object) -> String { "\(object.metadata.namespace ?? "")/\(object.metadata.name)" }
    }

    struct Stores: Sendable {
        var namespaces = Store<Namespace>()
        var pods = Store<Pod>()
        var deployments = Store<Deployment>()
        var replicaSets = Store<ReplicaSet>()
        var statefulSets = Store<StatefulSet>()
        var daemonSets = Store<DaemonSet>()
        var services = Store<Service>()
        var endpoints = Store<Endpoints>()
        var events = Store<Event>()
        var configMaps = Store<ConfigMap>()
        var networkPolicies = Store<NetworkPolicy>()
        var ingresses = Store<Ingress>()
        var httpRoutes = Store<HTTPRoute>()
    }

    private var stores = Stores()
    private let lists: ClusterSnapshotReader
    private let timeoutSeconds: Int
    /// How long `read()` waits for first lists before it gives up on this pass.
    private let syncTimeout: Duration
    /// Signalled on every change to the cache (not on bookmarks).
    public nonisolated let changes = Wakeup()
    /// Lists that filled a kind so far, the first ones included: a relist after a failure or a
    /// 410 adds one; a watch resumed from its resourceVersion does not.
    public private(set) var listCount = 0
    /// What changed since the last `read()`, deduplicated: the next read hands it over with
    /// the cache, so a pass diagnoses only what changed. A read that fails leaves it pending.
    private var pending = ClusterChanges(everything: true)
    /// Reads so far, which number `ClusterEdits`.
    private var reads = 0
    /// A kind `ClusterEdits` does not follow changed since the last read.
    private var unfollowedChanged = false
    /// The pods that may be in a crash loop, by store key: a read looks for crash logs among
    /// these instead of every pod. A pod that has restarted is put in when it changes, and taken
    /// out by the first read that finds it not crash-looping: left unchanged it cannot become
    /// so later (`ContainerStatus.isCrashLooping`: its last failure only ages).
    private var crashCandidates: Set<String> = []

    /// `lists` names the reader, the namespace (nil: all) and the log cache; its namespace
    /// read and its crash-log fetching serve `read()` as they serve a round of LISTs.
    public init(lists: ClusterSnapshotReader, timeoutSeconds: Int = 300, syncTimeout: Duration = .seconds(60)) {
        self.lists = lists
        self.timeoutSeconds = timeoutSeconds
        self.syncTimeout = syncTimeout
    }

    /// Watches every kind until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            if lists.namespace == nil { group.addTask { await self.watch(\.namespaces) } }
            group.addTask { await self.watch(\.pods) }
            group.addTask { await self.watch(\.deployments) }
            group.addTask { await self.watch(\.replicaSets) }
            group.addTask { await self.watch(\.statefulSets) }
            group.addTask { await self.watch(\.daemonSets) }
            group.addTask { await self.watch(\.services) }
            group.addTask { await self.watch(\.endpoints) }
            group.addTask { await self.watch(\.events) }
            group.addTask { await self.watch(\.configMaps) }
            group.addTask { await self.watch(\.networkPolicies) }
            group.addTask { await self.watch(\.ingresses) }
            group.addTask { await self.watch(\.httpRoutes) }
        }
    }

    /// One kind: a watch (which lists first), and after a failure a new one (listing again)
    /// once the back-off has passed: 1 s, doubling to 30 s, back to 1 s after an event. A kind
    /// the server does not serve (404: the Gateway API CRDs are not installed) is asked again
    /// every 5 minutes, so an idle cluster sees no steady LISTs for it.
    private nonisolated func watch<Object: KubeObject>(_ path: any WritableKeyPath<Stores, Store<Object>> & Sendable) async {
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            let watch = lists.reader.watch(Object.self, namespace: lists.namespace, timeoutSeconds: timeoutSeconds)
            do {
                for try await event in watch {
                    await apply(event, path)
                    delay = .seconds(1)
                }
                return
            } catch {
                if Task.isCancelled { return }
                await failed(error, path)
                try? await Task.sleep(for: error.code == .notFound ? .seconds(300) : delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }

    private func apply<Object: KubeObject>(_ event: WatchEvent<Object>, _ path: WritableKeyPath<Stores, Store<Object>>) {
        switch event {
        case .relisted(let items, _):
            if let pods = items as? [Pod] { crashCandidates = Set(pods.filter { $0.restarts > 0 }.map(Store<Pod>.key)) }
            stores[keyPath: path].replace(with: items)
            stores[keyPath: path].state = .synced
            listCount += 1
            pending.everything = true
        case .added(let object), .modified(let object):
            if let pod = object as? Pod, pod.restarts > 0 { crashCandidates.insert(Store<Pod>.key(pod)) }
            let old = stores[keyPath: path].put(object)
            pending.merge(.of(object, old: old))
            unfollowedChanged = unfollowedChanged || !ClusterEdits.follows(Object.self)
        case .deleted(let object):
            if let pod = object as? Pod { crashCandidates.remove(Store<Pod>.key(pod)) }
            pending.merge(.of(object, old: nil))
            stores[keyPath: path].remove(object)
            unfollowedChanged = unfollowedChanged || !ClusterEdits.follows(Object.self)
        case .bookmark:
            return
        }
        changes.signal()
    }

    private func failed<Object: KubeObject>(_ error: KubeAPIError, _ path: WritableKeyPath<Stores, Store<Object>>) {
        stores[keyPath: path].state = .failed(error)
        changes.signal()
    }

    /// Each kind's state, by resource (`pods`, `deployments.apps`), for logs and tests.
    public var states: [String: KindState] {
        [
            Namespace.resource.groupResource: stores.namespaces.state, Pod.resource.groupResource: stores.pods.state,
            Deployment.resource.groupResource: stores.deployments.state, ReplicaSet.resource.groupResource: stores.replicaSets.state,
            StatefulSet.resource.groupResource: stores.statefulSets.state, DaemonSet.resource.groupResource: stores.daemonSets.state,
            Service.resource.groupResource: stores.services.state, Endpoints.resource.groupResource: stores.endpoints.state,
            Event.resource.groupResource: stores.events.state, ConfigMap.resource.groupResource: stores.configMaps.state,
            NetworkPolicy.resource.groupResource: stores.networkPolicies.state,
            Ingress.resource.groupResource: stores.ingresses.state, HTTPRoute.resource.groupResource: stores.httpRoutes.state,
        ]
    }

    /// The cache as a `Reading`, once every kind has been listed: throws the error of a kind
    /// whose watch failed and has not been relisted since (or whose first list is late), as a
    /// failed LIST would. ConfigMaps, NetworkPolicies, Ingresses and HTTPRoutes medic may not read (403) or the server
    /// does not serve (404) are a warning or nothing, as for a round of LISTs.
    public func read() async throws(KubeAPIError) -> ClusterSnapshotReader.Reading {
        let started = Date()
        let deadline = ContinuousClock.now + syncTimeout
        while stores.isListing(namespaced: lists.namespace != nil), ContinuousClock.now < deadline {
            // Cancelled (leadership lost): stop waiting; the kind still listing fails the read.
            do { try await Task.sleep(for: .milliseconds(20)) } catch { break }
        }
        var snapshot = Snapshot(capturedAt: Date(timeIntervalSince1970: started.timeIntervalSince1970.rounded(.down)))
        var warnings: [String] = []
        var missing: ClusterSnapshotReader.MissingNamespace?
        if lists.namespace == nil {
            snapshot.namespaces = try required(&stores.namespaces)
        } else {
            (snapshot.namespaces, warnings, missing) = try await lists.readNamespaces()
        }
        snapshot.pods = try required(&stores.pods)
        snapshot.deployments = try required(&stores.deployments)
        snapshot.replicaSets = try required(&stores.replicaSets)
        snapshot.statefulSets = try required(&stores.statefulSets)
        snapshot.daemonSets = try required(&stores.daemonSets)
        snapshot.services = try required(&stores.services)
        snapshot.endpoints = try required(&stores.endpoints)
        snapshot.events = try required(&stores.events)
        snapshot.configMaps = try optional(&stores.configMaps, warnings: &warnings,
                                           unchecked: ClusterSnapshotReader.configMapsUnchecked).filter { !$0.data.isEmpty }
        snapshot.networkPolicies = try optional(&stores.networkPolicies, warnings: &warnings,
                                                unchecked: ClusterSnapshotReader.networkPoliciesUnchecked)
        snapshot.ingresses = try optional(&stores.ingresses, warnings: &warnings, unchecked: ClusterSnapshotReader.routesUnchecked)
        snapshot.httpRoutes = try optional(&stores.httpRoutes, warnings: &warnings, unchecked: ClusterSnapshotReader.routesUnchecked)
        // Taken with the copy of the cache, before the logs are awaited: a change that comes
        // meanwhile is not in this copy, so it stays pending for the next read.
        let changes = pending
        pending = ClusterChanges()
        let edits = takeEdits(everything: changes.everything)
        let looping = crashCandidates.compactMap { key in
            stores.pods.objects[key].flatMap { ClusterSnapshotReader.crashLooping($0, at: started).isEmpty ? nil : (key, $0) }
        }
        // Only when one left: a new set would list the rest in another order, and the log
        // cache hands back its last read only for the same containers in the same order.
        if looping.count != crashCandidates.count { crashCandidates = Set(looping.map(\.0)) }
        let (logs, logWarnings) = await lists.previousLogs(of: looping.map(\.1), at: started)
        snapshot.podLogs = logs
        return .init(snapshot: snapshot, warnings: warnings + logWarnings, missingNamespace: missing, changes: changes,
                     edits: edits)
    }

    /// The followed kinds' edits since the last read, numbered; incomplete after a relist or
    /// a change to any other kind.
    private func takeEdits(everything: Bool) -> ClusterEdits {
        var edits = ClusterEdits(since: reads, read: reads + 1)
        reads += 1
        edits.pods = stores.pods.takeEdits()
        edits.replicaSets = stores.replicaSets.takeEdits()
        edits.deployments = stores.deployments.takeEdits()
        edits.statefulSets = stores.statefulSets.takeEdits()
        edits.daemonSets = stores.daemonSets.takeEdits()
        edits.endpoints = stores.endpoints.takeEdits()
        edits.events = stores.events.takeEdits()
        edits.services = stores.services.takeEdits()
        edits.incomplete = everything || unfollowedChanged
        unfollowedChanged = false
        return edits
    }

    private func required<Object>(_ store: inout Store<Object>) throws(KubeAPIError) -> [Object] {
        switch store.state {
        case .synced: return store.items()
        case .failed(let error): throw error
        case .listing:
            throw KubeAPIError(code: .unreachable, verb: "list", resource: Object.resource.groupResource, server: lists.reader.transport.connection.server,
                               message: "the first list has not arrived within \(syncTimeout)")
        }
    }

    private func optional<Object>(_ store: inout Store<Object>, warnings: inout [String], unchecked: String) throws(KubeAPIError) -> [Object] {
        switch store.state {
        case .failed(let error) where error.code == .forbidden:
            warnings.append("\(unchecked): \(error.description)")
            return []
        case .failed(let error) where error.code == .notFound:
            return []
        default:
            return try required(&store)
        }
    }
}

extension ClusterInformer.KindState {
    var isListing: Bool {
        if case .listing = self { return true }
        return false
    }
}

extension ClusterInformer.Stores {
    /// Whether a kind still waits for its first list (Namespaces only when all are watched).
    func isListing(namespaced: Bool) -> Bool {
        (!namespaced && namespaces.state.isListing) || pods.state.isListing || deployments.state.isListing
            || replicaSets.state.isListing || statefulSets.state.isListing || daemonSets.state.isListing
            || services.state.isListing || endpoints.state.isListing || events.state.isListing
            || configMaps.state.isListing || networkPolicies.state.isListing || ingresses.state.isListing
            || httpRoutes.state.isListing
    }
}
