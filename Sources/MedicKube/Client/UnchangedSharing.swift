// A watched change brings a whole new copy of the object, decoded alone: the cache would hold
// its containers, labels and template apart from everything else that has equal ones, and
// under churn every pod's copy ends up its own. `KubeObject.sharing(unchangedFrom:)` keeps the
// previous copy's values where they are equal, so what a List page shared (`SharedValues`)
// stays shared, and an update costs memory only for what it changed.

extension KubeObject {
    /// `previous`'s value at `path` when it equals this one's: equal values are
    /// interchangeable, so the object reads the same.
    fileprivate mutating func keep<Value: Equatable>(_ path: WritableKeyPath<Self, Value>, of previous: Self) {
        if self[keyPath: path] == previous[keyPath: path] { self[keyPath: path] = previous[keyPath: path] }
    }

    /// Labels, annotations and owners: what stays while status and resourceVersion move.
    fileprivate mutating func keepMetadata(_ metadata: WritableKeyPath<Self, ObjectMeta>, of previous: Self) {
        keep(metadata.appending(path: \.labels), of: previous)
        keep(metadata.appending(path: \.annotations), of: previous)
        keep(metadata.appending(path: \.ownerReferences), of: previous)
    }

    /// A workload's sharing: its metadata's maps and its pod template, which scaling and
    /// status updates leave as they were.
    fileprivate func sharing<Template: Equatable>(metadata: WritableKeyPath<Self, ObjectMeta>,
                                                  template: WritableKeyPath<Self, Template>, with previous: Self) -> Self {
        var object = self
        object.keepMetadata(metadata, of: previous)
        object.keep(template, of: previous)
        return object
    }
}

extension Pod {
    public func sharing(unchangedFrom previous: Pod) -> Pod {
        var pod = self
        pod.keepMetadata(\.metadata, of: previous)
        pod.keep(\.spec, of: previous)
        pod.keep(\.status.conditions, of: previous)
        pod.keep(\.status.containerStatuses, of: previous)
        pod.keep(\.status.initContainerStatuses, of: previous)
        return pod
    }
}

extension Deployment {
    public func sharing(unchangedFrom previous: Deployment) -> Deployment {
        sharing(metadata: \.metadata, template: \.spec.template, with: previous)
    }
}

extension ReplicaSet {
    public func sharing(unchangedFrom previous: ReplicaSet) -> ReplicaSet {
        sharing(metadata: \.metadata, template: \.spec.template, with: previous)
    }
}

extension StatefulSet {
    public func sharing(unchangedFrom previous: StatefulSet) -> StatefulSet {
        sharing(metadata: \.metadata, template: \.spec.template, with: previous)
    }
}

extension DaemonSet {
    public func sharing(unchangedFrom previous: DaemonSet) -> DaemonSet {
        sharing(metadata: \.metadata, template: \.spec.template, with: previous)
    }
}
