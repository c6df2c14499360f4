/// The objects that changed in `ClusterInformer`'s cache between two reads, each as the
/// earlier read had it and as the cache has it now, for the kinds that change all the time on
/// a busy cluster: pods, ReplicaSets, workloads, Endpoints and Events, and Services, whose
/// selector or ports a fault or a fix changes. With them the
/// diagnosis patches its joined view of the last read instead of rebuilding it from every
/// object (`ClusterView.patched(by:snapshot:)`); at 10,000 pods the rebuild was a third of
/// each pass.
///
/// Only valid against the view of read `since`: reads are numbered, and a pass that read but
/// never built its view leaves the next edits unusable, which the patch then refuses.
public struct ClusterEdits: Sendable {
    /// One object across the two reads: nil `old`, added since; nil `new`, deleted since.
    public struct Edit<Object: Sendable>: Sendable {
        public var old: Object?
        public var new: Object?

        public init(old: Object?, new: Object?) {
            self.old = old
            self.new = new
        }
    }

    /// The read these edits lead from, and the one they lead to.
    public var since: Int
    public var read: Int
    public var pods: [ObjectRef: Edit<Pod>] = [:]
    public var replicaSets: [ObjectRef: Edit<ReplicaSet>] = [:]
    public var deployments: [ObjectRef: Edit<Deployment>] = [:]
    public var statefulSets: [ObjectRef: Edit<StatefulSet>] = [:]
    public var daemonSets: [ObjectRef: Edit<DaemonSet>] = [:]
    public var endpoints: [ObjectRef: Edit<Endpoints>] = [:]
    public var events: [ObjectRef: Edit<Event>] = [:]
    public var services: [ObjectRef: Edit<Service>] = [:]
    /// Some other kind changed (a ConfigMap, a Namespace...), or a kind was listed
    /// again, so what changed is not all here.
    public var incomplete = false

    public init(since: Int, read: Int) {
        self.since = since
        self.read = read
    }

    /// Whether edits to `kind` are kept. A change to any other kind (one added to the informer
    /// later included) leaves the edits incomplete, so the view is built whole.
    public static func follows(_ kind: any KubeObject.Type) -> Bool {
        kind == Pod.self || kind == ReplicaSet.self || kind == Deployment.self || kind == StatefulSet.self
            || kind == DaemonSet.self || kind == Endpoints.self || kind == Event.self || kind == Service.self
    }
}

extension ClusterEdits.Edit {
    /// The edit after a further change to the same object: the earliest old, the latest new.
    /// nil when the object came and went between the reads.
    func then(_ new: Object?) -> Self? {
        old == nil && new == nil ? nil : Self(old: old, new: new)
    }
}
