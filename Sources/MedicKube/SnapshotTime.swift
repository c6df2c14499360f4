import Foundation

extension Snapshot {
    /// The latest instant the objects themselves record (an event last seen, a container
    /// started or finished, a pod condition changed, an object created), with what recorded
    /// it: the best guess at when a snapshot without `capturedAt` was taken. nil when the
    /// snapshot holds no timestamp at all.
    public var newestTimestamp: (date: Date, source: String)? {
        var newest: (date: Date, source: String)?
        func consider(_ date: Date?, _ source: @autoclosure () -> String) {
            guard let date, date > (newest?.date ?? .distantPast) else { return }
            newest = (date, source())
        }
        func created(_ kind: String, _ metadata: ObjectMeta) {
            consider(metadata.creationTimestamp, "the creation of \(kind) \(metadata.namespace.map { "\($0)/" } ?? "")\(metadata.name)")
        }
        for event in events {
            consider(event.lastSeen, "Event \(event.metadata.namespace ?? "")/\(event.metadata.name)")
        }
        for pod in pods {
            let name = "\(pod.metadata.namespace ?? "")/\(pod.metadata.name)"
            created("Pod", pod.metadata)
            for status in pod.status.initContainerStatuses + pod.status.containerStatuses {
                for state in [status.state, status.lastState] {
                    consider(state.running?.startedAt, "container \(status.name) of Pod \(name) starting")
                    consider(state.terminated?.finishedAt, "container \(status.name) of Pod \(name) ending")
                }
            }
            for condition in pod.status.conditions {
                consider(condition.lastTransitionTime, "Pod \(name) becoming \(condition.type)=\(condition.status)")
            }
        }
        for object in deployments { created("Deployment", object.metadata) }
        for object in replicaSets { created("ReplicaSet", object.metadata) }
        for object in statefulSets { created("StatefulSet", object.metadata) }
        for object in daemonSets { created("DaemonSet", object.metadata) }
        for object in jobs { created("Job", object.metadata) }
        for object in services { created("Service", object.metadata) }
        return newest
    }

    /// Every namespace the snapshot knows: its Namespace objects and any object's namespace.
    public var knownNamespaces: [String] {
        var names = Set(namespaces.map(\.metadata.name))
        let metadata: [ObjectMeta] = pods.map(\.metadata) + deployments.map(\.metadata) + replicaSets.map(\.metadata)
            + statefulSets.map(\.metadata) + daemonSets.map(\.metadata) + jobs.map(\.metadata)
            + services.map(\.metadata) + endpoints.map(\.metadata) + events.map(\.metadata)
        for item in metadata { if let namespace = item.namespace { names.insert(namespace) } }
        return names.sorted()
    }
}
