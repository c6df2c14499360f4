import Foundation
import MedicKube

/// The apiserver's storage: objects by resource and key, the global resourceVersion, the
/// bounded watch history and the live watches. It knows no controllers: `ClusterState`
/// commits through it, then queues the controllers that care.
struct ObjectStore: Sendable {
    /// What a commit does to the stored object, named as its watch event says it.
    enum Change: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED"
    }

    /// groupResource → namespace ("" for cluster-scoped kinds) → name → object: a namespaced
    /// list reads its own namespace only, not every object of the kind (a pod written in a
    /// namespace of 500, among 10,000, makes the Endpoints controller list it per Service).
    private var objects: [ResourceType: [String: [String: JSON]]] = [:]
    private(set) var resourceVersion: Int64 = 1000
    private var history: [WatchEvent] = []
    /// Watches starting at or after this version can be served from `history`.
    private var oldestWatchableVersion: Int64 = 1000
    private let historyCapacity: Int
    private(set) var watchers: [UUID: Watcher] = [:]

    init(historyCapacity: Int) {
        self.historyCapacity = historyCapacity
    }

    static func key(_ namespace: String, _ name: String) -> String { "\(namespace)/\(name)" }

    /// Reads go to where `type` is stored and come back in `type`'s version.
    func get(_ type: ResourceType, namespace: String, name: String) -> JSON? {
        objects[type.stored]?[type.namespaced ? namespace : ""]?[name].map(type.presented)
    }

    /// Objects in etcd key order ("namespace/name").
    func list(_ type: ResourceType, namespace: String? = nil,
              labels: LabelSelector = .everything, fields: FieldSelector = .everything) -> [JSON] {
        let stored = objects[type.stored] ?? [:]
        let keyed: [(key: String, object: JSON)]
        if let namespace, type.namespaced {
            keyed = (stored[namespace] ?? [:]).map { (Self.key(namespace, $0.key), $0.value) }
        } else {
            keyed = stored.flatMap { namespace, byName in byName.map { (Self.key(namespace, $0.key), $0.value) } }
        }
        return keyed.sorted { $0.key < $1.key }
            .map { type.presented($0.object) }
            .filter { labels.matches(object: $0) && fields.matches($0) }
    }

    /// Assigns the next resourceVersion, stores the object (or drops it), records the event
    /// in the history and sends it to the watches that want it.
    mutating func commit(_ written: ResourceType, _ given: JSON, _ change: Change) -> WatchEvent {
        let type = written.stored
        var object = type.presented(given)
        resourceVersion += 1
        object[path: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        let name = object[path: ["metadata", "name"]]?.string ?? ""
        let namespace = object[path: ["metadata", "namespace"]]?.string ?? ""
        let bucket = type.namespaced ? namespace : ""
        if change == .deleted {
            objects[type]?[bucket]?[name] = nil
        } else {
            objects[type, default: [:]][bucket, default: [:]][name] = object
        }
        let event = WatchEvent(type: change.rawValue, resourceVersion: resourceVersion, resource: type, object: object)
        history.append(event)
        if history.count > historyCapacity {
            let dropped = history.removeFirst()
            oldestWatchableVersion = dropped.resourceVersion
        }
        for watcher in watchers.values where watcher.wants(event) {
            watcher.continuation.yield(.event(event))
        }
        return event
    }

    // MARK: Watches

    /// Registers `watcher` under `id` and returns what it has to send first: every object it
    /// selects as ADDED when `version` is nil (a watch from now), else the changes after
    /// `version`. Throws 410 Expired when the history no longer reaches back that far.
    mutating func watch(_ watcher: Watcher, id: UUID, since version: Int64?) throws(APIError) -> [WatchEvent] {
        guard let version else {
            let initial = list(watcher.resource, namespace: watcher.namespace, labels: watcher.labels,
                               fields: watcher.fields)
                .map { WatchEvent(type: Change.added.rawValue, resourceVersion: 0, resource: watcher.resource, object: $0) }
            watchers[id] = watcher
            return initial
        }
        if version < oldestWatchableVersion {
            throw APIError.expired("too old resource version: \(version) (\(oldestWatchableVersion + 1))")
        }
        watchers[id] = watcher
        return history.filter { $0.resourceVersion > version && watcher.wants($0) }
    }

    mutating func endWatch(_ id: UUID) {
        watchers[id] = nil
    }

    /// Forgets the watches of `type` and tells their streams to close (the stream finishes
    /// itself, outside the lock its termination handler takes).
    mutating func endWatches(of type: ResourceType) {
        for (id, watcher) in watchers where watcher.resource.stored == type.stored {
            watchers[id] = nil
            watcher.continuation.yield(.closed)
        }
    }

    /// Forgets every watch and returns them, for the caller to finish outside the lock (a
    /// finished stream's termination handler takes the lock again).
    mutating func removeAllWatches() -> [Watcher] {
        defer { watchers = [:] }
        return Array(watchers.values)
    }
}
