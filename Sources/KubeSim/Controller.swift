import Foundation
import MedicKube

/// One item of controller work; equal items queued twice run once.
enum ControllerWork: Hashable, Sendable {
    case sync(ResourceType, namespace: String, name: String)
    case endpoints(namespace: String, service: String)
    case node(name: String)
    case quotas(namespace: String)
    case claim(namespace: String, name: String)
    /// Pending pods without a node: the scheduler tries them again.
    case schedule
}

/// A control loop registered on the cluster (`ClusterState.controllers`): after every commit
/// each says what the change gives it to do, and `settle` hands every queued item to each
/// until nothing is left, so a write returns with the cluster reconciled.
protocol Controller: Sendable {
    /// The work `event` queues for this controller, in the order it should run.
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork]
    /// Does `work` if it is this controller's; ignores it otherwise.
    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState)
    /// What the controller's own timers queue at `now` (a rollout past its deadline).
    func timers(at now: Date, in cluster: ClusterState) -> [ControllerWork]
}

extension Controller {
    func timers(at now: Date, in cluster: ClusterState) -> [ControllerWork] { [] }
}

/// A controller of pods through a workload object (Deployment, ReplicaSet, StatefulSet,
/// DaemonSet): it syncs an object whose spec it has not observed yet, and the owner of a pod
/// that changed.
protocol WorkloadController: Controller {
    var resource: ResourceType { get }
    func sync(namespace: String, name: String, in cluster: inout ClusterState)
}

extension WorkloadController {
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        workloadWork(after: event)
    }

    func workloadWork(after event: WatchEvent) -> [ControllerWork] {
        let object = event.object
        let namespace = ClusterState.namespace(object)
        if event.resource == resource, event.type != ObjectStore.Change.deleted.rawValue,
           ClusterState.generation(object) != ClusterState.observedGeneration(object) {
            return [.sync(resource, namespace: namespace, name: ClusterState.name(object))]
        }
        if event.resource == .pod, let owner = ClusterState.controllerRef(object), owner.kind == resource.kind {
            return [.sync(resource, namespace: namespace, name: owner.name)]
        }
        return []
    }

    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState) {
        guard case .sync(let type, let namespace, let name) = work, type == resource else { return }
        sync(namespace: namespace, name: name, in: &cluster)
    }
}
