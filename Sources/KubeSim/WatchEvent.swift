import MedicKube
/// One change to one object, as the watch stream and the bounded history hold it (a custom
/// object in its storage version; the stream presents it in the version watched).
struct WatchEvent: Sendable {
    var type: String
    var resourceVersion: Int64
    var resource: ResourceType
    var object: JSON

    var namespace: String { object[path: ["metadata", "namespace"]]?.string ?? "" }
}

/// A live watch: which events it wants and where to send them.
struct Watcher: Sendable {
    var resource: ResourceType
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector
    var continuation: AsyncStream<WatchItem>.Continuation

    func wants(_ event: WatchEvent) -> Bool {
        event.resource == resource.stored && (namespace == nil || event.namespace == namespace)
            && labels.matches(object: event.object) && fields.matches(event.object)
    }
}

/// What a watch stream carries: a change, a tick asking for a BOOKMARK, or the end of the
/// resource it watches (its CRD was deleted): the stream closes, as the apiserver's does.
enum WatchItem: Sendable {
    case event(WatchEvent)
    case bookmark
    case closed
    /// The connection is cut mid-stream (`KubeSim.dropWatches`): no terminating chunk.
    case dropped
}
