import Foundation
import MedicKube
/// The Deployment controller: one ReplicaSet per distinct pod template, revisions in the
/// `deployment.kubernetes.io/revision` annotation, and a rollout that keeps old pods until
/// new ones are ready (instant when the pod status model makes every pod ready).
struct DeploymentController: WorkloadController {
    let resource = ResourceType.deployment

    /// A new ReplicaSet's status changes the Deployment's: its owner syncs too.
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        var work = workloadWork(after: event)
        if event.resource == .replicaSet, let owner = ClusterState.controllerRef(event.object), owner.kind == "Deployment" {
            work.append(.sync(.deployment, namespace: ClusterState.namespace(event.object), name: owner.name))
        }
        return work
    }

    /// The Deployments whose rollout has gone `progressDeadlineSeconds` without progress by
    /// `now` but is not yet marked so, as the controller's `requeueStuckDeployment` finds them.
    func timers(at now: Date, in cluster: ClusterState) -> [ControllerWork] {
        cluster.list(.deployment).filter { deployment in
            guard let deadline = deployment[path: ["spec", "progressDeadlineSeconds"]]?.int,
                  let progressing = (deployment[path: ["status", "conditions"]]?.array ?? [])
                    .first(where: { $0["type"]?.string == "Progressing" }),
                  progressing["reason"]?.string == "ReplicaSetUpdated",
                  let last = progressing["lastUpdateTime"]?.string.flatMap(Timestamp.parse) else { return false }
            return now.timeIntervalSince(last) > TimeInterval(deadline)
        }.map { ControllerWork.sync(.deployment, namespace: ClusterState.namespace($0), name: ClusterState.name($0)) }
    }

    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    static func revision(_ object: JSON) -> Int64 {
        Int64(object[path: ["metadata", "annotations", revisionAnnotation]]?.string ?? "") ?? 0
    }

    func sync(namespace: String, name: String, in cluster: inout ClusterState) {
        guard var deployment = cluster.get(.deployment, namespace: namespace, name: name), !ClusterState.isTerminating(deployment) else {
            return
        }
        let replicas = deployment[path: ["spec", "replicas"]]?.int ?? 1
        let template = deployment[path: ["spec", "template"]] ?? [:]
        let sets = cluster.owned(.replicaSet, by: deployment, kind: "Deployment")
        let maxRevision = sets.map(Self.revision).max() ?? 0
        var newSet: JSON
        if let current = sets.first(where: { PodTemplateHash.stripped($0[path: ["spec", "template"]]) == PodTemplateHash.stripped(template) }) {
            newSet = current
            if Self.revision(current) < maxRevision {
                newSet[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(String(maxRevision + 1))
            }
        } else {
            newSet = newReplicaSet(for: deployment, template: template, revision: maxRevision + 1, in: cluster)
        }
        newSet[path: ["spec", "replicas"]] = .int(replicas)
        newSet[path: ["metadata", "annotations", "deployment.kubernetes.io/desired-replicas"]] = .string(String(replicas))
        newSet = cluster.save(.replicaSet, newSet)
        ReplicaSetController().sync(namespace: namespace, name: ClusterState.name(newSet), in: &cluster)

        let newReady = Int64(cluster.owned(.pod, by: newSet, kind: "ReplicaSet").filter(ClusterState.isReady(pod:)).count)
        var oldBudget = max(0, replicas - newReady)
        for var old in sets.filter({ ClusterState.name($0) != ClusterState.name(newSet) }).sorted(by: { Self.revision($0) > Self.revision($1) }) {
            let current = old[path: ["spec", "replicas"]]?.int ?? 0
            let target = min(current, oldBudget)
            oldBudget -= target
            if target != current {
                old[path: ["spec", "replicas"]] = .int(target)
                cluster.save(.replicaSet, old)
                ReplicaSetController().sync(namespace: namespace, name: ClusterState.name(old), in: &cluster)
            }
        }

        deployment = cluster.get(.deployment, namespace: namespace, name: name) ?? deployment
        deployment[path: ["metadata", "annotations", Self.revisionAnnotation]] =
            cluster.get(.replicaSet, namespace: namespace, name: ClusterState.name(newSet))?[path: ["metadata", "annotations", Self.revisionAnnotation]]
        deployment["status"] = deploymentStatus(deployment, newSet: ClusterState.name(newSet), in: cluster)
        cluster.save(.deployment, deployment)
    }

    private func newReplicaSet(for deployment: JSON, template: JSON, revision: Int64, in cluster: ClusterState) -> JSON {
        let hash = PodTemplateHash.of(template)
        let name = "\(ClusterState.name(deployment))-\(hash)"
        var podTemplate = template
        podTemplate[path: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
        var selector = deployment[path: ["spec", "selector"]] ?? [:]
        selector[path: ["matchLabels", "pod-template-hash"]] = .string(hash)
        var labels = template[path: ["metadata", "labels"]] ?? [:]
        labels["pod-template-hash"] = .string(hash)
        var annotations: [String: JSON] = [Self.revisionAnnotation: .string(String(revision))]
        for (key, value) in deployment[path: ["metadata", "annotations"]]?.object ?? [:]
        where key != Self.revisionAnnotation && key != "kubectl.kubernetes.io/last-applied-configuration" {
            annotations[key] = value
        }
        return [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name), "namespace": .string(ClusterState.namespace(deployment)), "uid": .string(ClusterState.newUID()),
                "creationTimestamp": .string(Timestamp.format(cluster.clock())), "generation": 1,
                "labels": labels, "annotations": .object(annotations),
                "ownerReferences": [ClusterState.ownerReference(to: deployment, type: .deployment)],
            ],
            "spec": ["replicas": 0, "selector": selector, "template": podTemplate],
            "status": ["replicas": 0],
        ]
    }

    private func deploymentStatus(_ deployment: JSON, newSet: String, in cluster: ClusterState) -> JSON {
        let namespace = ClusterState.namespace(deployment)
        let sets = cluster.owned(.replicaSet, by: deployment, kind: "Deployment")
        let pods = sets.flatMap { cluster.owned(.pod, by: $0, kind: "ReplicaSet") }.filter { !ClusterState.isTerminating($0) }
        let newPods = cluster.get(.replicaSet, namespace: namespace, name: newSet).map { cluster.owned(.pod, by: $0, kind: "ReplicaSet") } ?? []
        let desired = deployment[path: ["spec", "replicas"]]?.int ?? 1
        let ready = Int64(pods.filter(ClusterState.isReady(pod:)).count)
        let total = Int64(pods.count)
        let updated = Int64(newPods.count)
        let newReady = Int64(newPods.filter(ClusterState.isReady(pod:)).count)
        let old = deployment["status"] ?? [:]
        let now = JSON.string(Timestamp.format(cluster.clock()))
        func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String) -> JSON {
            let previous = (old["conditions"]?.array ?? []).first { $0["type"]?.string == type }
            let statusText = JSON.string(status ? "True" : "False")
            let unchanged = previous?["status"] == statusText && previous?["reason"]?.string == reason
            return [
                "type": .string(type), "status": statusText, "reason": .string(reason), "message": .string(message),
                "lastUpdateTime": unchanged ? previous?["lastUpdateTime"] ?? now : now,
                "lastTransitionTime": previous?["status"] == statusText ? previous?["lastTransitionTime"] ?? now : now,
            ]
        }
        let available = ready >= desired
        let complete = updated == desired && newReady == desired && total == desired
        let progressing: JSON
        let previous = (old["conditions"]?.array ?? []).first { $0["type"]?.string == "Progressing" }
        // Progress: the new ReplicaSet is another one, or it has more pods, more of them ready.
        let progressed = previous?["message"]?.string?.contains("\"\(newSet)\"") != true
            || updated > (old["updatedReplicas"]?.int ?? 0) || ready > (old["readyReplicas"]?.int ?? 0)
        let deadline = deployment[path: ["spec", "progressDeadlineSeconds"]]?.int
        let lastProgress = previous?["lastUpdateTime"]?.string.flatMap(Timestamp.parse)
        if complete {
            progressing = condition("Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"\(newSet)\" has successfully progressed.")
        } else if !progressed, let previous, previous["reason"]?.string == "ProgressDeadlineExceeded" {
            progressing = previous
        } else if !progressed, let deadline, let lastProgress, cluster.clock().timeIntervalSince(lastProgress) > TimeInterval(deadline) {
            progressing = condition("Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \"\(newSet)\" has timed out progressing.")
        } else {
            var updating = condition("Progressing", true, "ReplicaSetUpdated", "ReplicaSet \"\(newSet)\" is progressing.")
            if progressed { updating["lastUpdateTime"] = now }
            progressing = updating
        }
        var conditions: [JSON] = [
            available
                ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
                : condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            progressing,
        ]
        // The ReplicaSets' creation failures, as `getReplicaFailures` copies them.
        let failure = sets.lazy.compactMap { set in
            (set[path: ["status", "conditions"]]?.array ?? []).first { $0["type"]?.string == "ReplicaFailure" }
        }.first
        if let failure {
            let previousFailure = (old["conditions"]?.array ?? []).first { $0["type"]?.string == "ReplicaFailure" }
            conditions.append(previousFailure ?? [
                "type": "ReplicaFailure", "status": "True", "reason": failure["reason"] ?? "FailedCreate",
                "message": failure["message"] ?? "", "lastUpdateTime": now, "lastTransitionTime": now,
            ])
        }
        var status: [String: JSON] = [
            "observedGeneration": .int(ClusterState.generation(deployment)),
            "replicas": .int(total), "updatedReplicas": .int(updated),
            "readyReplicas": .int(ready), "availableReplicas": .int(ready),
            "conditions": .array(conditions),
        ]
        if total - ready > 0 { status["unavailableReplicas"] = .int(total - ready) }
        for key in ["readyReplicas", "availableReplicas", "updatedReplicas", "replicas"] where status[key] == 0 {
            status[key] = nil
        }
        return .object(status)
    }
}
