/// What changed in `ClusterInformer`'s cache since the controller last took it: the objects
/// that changed, and the namespaces where a change may reach any target (a Service's callers,
/// a crashed caller's last words, a ConfigMap's flags, a workload's new template or selector,
/// a bare pod come, gone or relabelled); only these alter the service graph. Sets, so a burst
/// of changes to one object is one entry, as in client-go's workqueue. `everything` after a
/// (re)list: what changed meanwhile is unknown.
public struct ClusterChanges: Sendable, Equatable {
    public var objects: Set<ObjectRef> = []
    public var namespaces: Set<String> = []
    public var everything = false

    public init(objects: Set<ObjectRef> = [], namespaces: Set<String> = [], everything: Bool = false) {
        self.objects = objects
        self.namespaces = namespaces
        self.everything = everything
    }

    public var isEmpty: Bool { !everything && objects.isEmpty && namespaces.isEmpty }

    public mutating func merge(_ other: ClusterChanges) {
        objects.formUnion(other.objects)
        namespaces.formUnion(other.namespaces)
        everything = everything || other.everything
    }

    /// The change one watch event makes, given the object as the cache held it before
    /// (`old`, nil when it is new or deleted).
    public static func of<Object: KubeObject>(_ object: Object, old: Object?) -> ClusterChanges {
        let kind = Object.resource.kind
        let namespace = object.metadata.namespace ?? "default"
        let ref = ObjectRef(kind: kind, namespace: namespace, name: object.metadata.name)
        switch object {
        case let pod as Pod:
            // Last words that come, go or change are about the Services the pod calls. A restart
            // alone says nothing new, nor does a crashed pod that comes or goes: its crash log,
            // when it reads otherwise than the last or no longer is, reaches the namespace once
            // the read has it (`ClusterView.namespacesWithOtherCrashLogs`). Crash-looping pods
            // restart every few minutes and are the first a scale-down deletes; taking each
            // such change to the namespace diagnosed every target there again.
            let oldPod = old as? Pod
            let spoke = (oldPod?.lastMessages ?? []) != pod.lastMessages
            // A bare pod is a workload of its own: one that comes, goes or is relabelled
            // changes which Services select what, as a new template does.
            let bareReshaped = pod.metadata.controllerOwner == nil
                && oldPod.map { $0.metadata.labels != pod.metadata.labels || $0.spec.containers != pod.spec.containers } ?? true
            var changes = ClusterChanges(objects: owned(ref, by: pod.metadata.controllerOwner))
            if spoke || bareReshaped { changes.namespaces = [namespace] }
            return changes
        case let deployment as Deployment:
            let before = old as? Deployment
            return workload(ref, sameShape: before?.spec.template == deployment.spec.template
                                && before?.spec.selector == deployment.spec.selector)
        case let set as StatefulSet:
            let before = old as? StatefulSet
            return workload(ref, sameShape: before?.spec.template == set.spec.template && before?.spec.selector == set.spec.selector)
        case let set as DaemonSet:
            let before = old as? DaemonSet
            return workload(ref, sameShape: before?.spec.template == set.spec.template && before?.spec.selector == set.spec.selector)
        case let event as Event:
            guard let kind = event.involvedObject.kind, let name = event.involvedObject.name else { return ClusterChanges() }
            return ClusterChanges(objects: [ObjectRef(kind: kind, namespace: event.involvedObject.namespace ?? namespace, name: name)])
        case let replicaSet as ReplicaSet:
            return ClusterChanges(objects: owned(ref, by: replicaSet.metadata.controllerOwner))
        case is Endpoints:
            return ClusterChanges(objects: [ref])
        case is Namespace:
            return ClusterChanges(namespaces: [object.metadata.name])
        default:
            // Services, ConfigMaps, NetworkPolicies and Ingresses reach across their namespace,
            // HTTPRoutes further: every target there is looked at.
            return (Object.resource.namespaced && !(object is HTTPRoute))
                ? ClusterChanges(objects: [ref], namespaces: [namespace]) : ClusterChanges(everything: true)
        }
    }

    /// The object and its controller: a deleted pod or ReplicaSet is no longer in the cache to
    /// say which workload it was part of.
    private static func owned(_ ref: ObjectRef, by owner: OwnerReference?) -> Set<ObjectRef> {
        guard let owner else { return [ref] }
        return [ref, ObjectRef(kind: owner.kind, namespace: ref.namespace, name: owner.name)]
    }

    /// Scaling or a status change touches the workload alone; a new template or selector may
    /// change whom it calls and which Services select it.
    private static func workload(_ ref: ObjectRef, sameShape: Bool) -> ClusterChanges {
        sameShape ? ClusterChanges(objects: [ref]) : ClusterChanges(objects: [ref], namespaces: [ref.namespace])
    }
}

extension Pod {
    /// Restarts of all its containers.
    var restarts: Int {
        status.containerStatuses.reduce(0) { $0 + $1.restartCount } + status.initContainerStatuses.reduce(0) { $0 + $1.restartCount }
    }

    /// What each container said as it ended (containers, then init containers), the last words
    /// the diagnosis reads: a container ends, and speaks, before its restart is counted (and one
    /// that is not restarted never is).
    public var lastMessages: [ContainerMessage] {
        (status.containerStatuses + status.initContainerStatuses).compactMap { status in
            (status.lastState.terminated?.message ?? status.state.terminated?.message)
                .map { ContainerMessage(container: status.name, message: $0) }
        }
    }
}

/// One container's last message, by the container's name.
public struct ContainerMessage: Sendable, Hashable {
    public var container: String
    public var message: String
}
