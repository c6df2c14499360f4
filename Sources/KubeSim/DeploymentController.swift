import Foundation
import MedicKube
/// The Deployment controller: one ReplicaSet per distinct pod template, revisions in the
/// `deployment.kubernetes.io/revision` annotation, and a rollout that keeps old pods until
/// new ones are ready (instant when the pod status model makes every pod ready).
extension ClusterState {
    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    static func revision(_ object: JSON) -> Int64 {
        Int64(object[path: ["metadata", "annotations", revisionAnnotation]]?.string ?? "") ?? 0
    }

    mutating func syncDeployment(namespace: String, name: String) {
        guard var deployment = get(.deployment, namespace: namespace, name: name), !Self.isTerminating(deployment) else {
            return
        }
        let replicas = deployment[path: ["spec", "replicas"]]?.int ?? 1
        let template = deployment[path: ["spec", "template"]] ?? [:]
        let sets = owned(.replicaSet, by: deployment, kind: "Deployment")
        let maxRevision = sets.map(Self.revision).max() ?? 0
        var newSet: JSON
        if let current = sets.first(where: { PodTemplateHash.stripped($0[path: ["spec", "template"]]) == PodTemplateHash.stripped(template) }) {
            newSet = current
            if Self.revision(current) < maxRevision {
                newSet[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(String(maxRevision + 1))
            }
        } else {
            newSet = newReplicaSet(for: deployment, template: template, revision: maxRevision + 1)
        }
        newSet[path: ["spec", "replicas"]] = .int(replicas)
        newSet[path: ["metadata", "annotations", "deployment.kubernetes.io/desired-replicas"]] = .string(String(replicas))
        newSet = save(.replicaSet, newSet)
        syncReplicaSet(namespace: namespace, name: Self.name(newSet))

        let newReady = Int64(owned(.pod, by: newSet, kind: "ReplicaSet").filter(Self.isReady(pod:)).count)
        var oldBudget = max(0, replicas - newReady)
        for var old in sets.filter({ Self.name($0) != Self.name(newSet) }).sorted(by: { Self.revision($0) > Self.revision($1) }) {
            let current = old[path: ["spec", "replicas"]]?.int ?? 0
            let target = min(current, oldBudget)
            oldBudget -= target
            if target != current {
                old[path: ["spec", "replicas"]] = .int(target)
                save(.replicaSet, old)
                syncReplicaSet(namespace: namespace, name: Self.name(old))
            }
        }

        deployment = get(.deployment, namespace: namespace, name: name) ?? deployment
        deployment[path: ["metadata", "annotations", Self.revisionAnnotation]] =
            get(.replicaSet, namespace: namespace, name: Self.name(newSet))?[path: ["metadata", "annotations", Self.revisionAnnotation]]
        deployment["status"] = deploymentStatus(deployment, newSet: Self.name(newSet))
        save(.deployment, deployment)
    }

    private func newReplicaSet(for deployment: JSON, template: JSON, revision: Int64) -> JSON {
        let hash = PodTemplateHash.of(template)
        let name = "\(Self.name(deployment))-\(hash)"
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
                "name": .string(name), "namespace": .string(Self.namespace(deployment)), "uid": .string(Self.newUID()),
                "creationTimestamp": .string(Timestamp.format(clock())), "generation": 1,
                "labels": labels, "annotations": .object(annotations),
                "ownerReferences": [Self.ownerReference(to: deployment, type: .deployment)],
            ],
            "spec": ["replicas": 0, "selector": selector, "template": podTemplate],
            "status": ["replicas": 0],
        ]
    }

    /// Queues the Deployments whose rollout has gone `progressDeadlineSeconds` without progress
    /// by `now` but is not yet marked so, as the controller's `requeueStuckDeployment` does.
    mutating func requeueStuckDeployments(at now: Date) {
        let stuck = list(.deployment).filter { deployment in
            guard let deadline = deployment[path: ["spec", "progressDeadlineSeconds"]]?.int,
                  let progressing = (deployment[path: ["status", "conditions"]]?.array ?? [])
                    .first(where: { $0["type"]?.string == "Progressing" }),
                  progressing["reason"]?.string == "ReplicaSetUpdated",
                  let last = progressing["lastUpdateTime"]?.string.flatMap(Timestamp.parse) else { return false }
            return now.timeIntervalSince(last) > TimeInterval(deadline)
        }
        for deployment in stuck {
            enqueue(.sync(.deployment, namespace: Self.namespace(deployment), name: Self.name(deployment)))
        }
    }

    private func deploymentStatus(_ deployment: JSON, newSet: String) -> JSON {
        let namespace = Self.namespace(deployment)
        let sets = owned(.replicaSet, by: deployment, kind: "Deployment")
        let pods = sets.flatMap { owned(.pod, by: $0, kind: "ReplicaSet") }.filter { !Self.isTerminating($0) }
        let newPods = get(.replicaSet, namespace: namespace, name: newSet).map { owned(.pod, by: $0, kind: "ReplicaSet") } ?? []
        let desired = deployment[path: ["spec", "replicas"]]?.int ?? 1
        let ready = Int64(pods.filter(Self.isReady(pod:)).count)
        let total = Int64(pods.count)
        let updated = Int64(newPods.count)
        let newReady = Int64(newPods.filter(Self.isReady(pod:)).count)
        let old = deployment["status"] ?? [:]
        let now = JSON.string(Timestamp.format(clock()))
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
        } else if !progressed, let deadline, let lastProgress, clock().timeIntervalSince(lastProgress) > TimeInterval(deadline) {
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
            "observedGeneration": .int(Self.generation(deployment)),
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
