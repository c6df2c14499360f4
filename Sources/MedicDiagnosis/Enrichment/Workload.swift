import Foundation
import MedicKube

/// Deployments, StatefulSets and DaemonSets seen through what they have in common: a pod
/// template, a selector and a replica count. Runbooks target "a workload", not a kind. A pod
/// no controller owns is its own workload of one, so a broken bare pod is never left unseen.
public struct Workload: Sendable, Equatable {
    public var kind: String
    public var metadata: ObjectMeta
    public var selector: LabelSelector?
    public var template: PodTemplateSpec
    public var desiredReplicas: Int?
    public var readyReplicas: Int
    public var availableReplicas: Int
    public var updatedReplicas: Int
    public var paused: Bool
    /// The controller's conditions (`Progressing`, `Available`, `ReplicaFailure`, …).
    public var conditions: [Condition]
    /// False when the object carries no status at all (a manifest, not a live object), so
    /// replica counts say nothing.
    public var hasStatus: Bool

    public var namespace: String { metadata.namespace ?? "default" }
    public var name: String { metadata.name }
    public var ref: ObjectRef { ObjectRef(kind: kind, namespace: namespace, name: name) }

    public init(_ deployment: Deployment) {
        kind = "Deployment"
        metadata = deployment.metadata
        selector = deployment.spec.selector
        template = deployment.spec.template
        desiredReplicas = deployment.spec.replicas ?? 1
        readyReplicas = deployment.status.readyReplicas ?? 0
        availableReplicas = deployment.status.availableReplicas ?? 0
        updatedReplicas = deployment.status.updatedReplicas ?? 0
        paused = deployment.spec.paused ?? false
        conditions = deployment.status.conditions
        hasStatus = deployment.status != .init()
    }

    public init(_ statefulSet: StatefulSet) {
        kind = "StatefulSet"
        metadata = statefulSet.metadata
        selector = statefulSet.spec.selector
        template = statefulSet.spec.template
        desiredReplicas = statefulSet.spec.replicas ?? 1
        readyReplicas = statefulSet.status.readyReplicas ?? 0
        availableReplicas = statefulSet.status.availableReplicas ?? 0
        updatedReplicas = statefulSet.status.updatedReplicas ?? 0
        paused = false
        conditions = statefulSet.status.conditions
        hasStatus = statefulSet.status != .init()
    }

    public init(_ daemonSet: DaemonSet) {
        kind = "DaemonSet"
        metadata = daemonSet.metadata
        selector = daemonSet.spec.selector
        template = daemonSet.spec.template
        desiredReplicas = daemonSet.status.desiredNumberScheduled
        readyReplicas = daemonSet.status.numberReady ?? 0
        availableReplicas = daemonSet.status.numberAvailable ?? 0
        updatedReplicas = daemonSet.status.updatedNumberScheduled ?? 0
        paused = false
        conditions = daemonSet.status.conditions
        hasStatus = daemonSet.status != .init()
    }

    /// A pod without a controlling owner: its spec is the template, one replica, ready when it is.
    public init(barePod pod: Pod) {
        kind = "Pod"
        metadata = pod.metadata
        selector = nil
        template = PodTemplateSpec(metadata: .init(labels: pod.metadata.labels, annotations: pod.metadata.annotations),
                                   spec: pod.spec)
        desiredReplicas = 1
        let ready = pod.isReady ? 1 : 0
        readyReplicas = ready
        availableReplicas = ready
        updatedReplicas = 1
        paused = false
        conditions = []
        hasStatus = pod.status != .init()
    }

    public var containers: [Container] { template.spec.containers }
    public var podLabels: [String: String] { template.metadata.labels }
}
