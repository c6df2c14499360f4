import MedicKube
/// The ReplicaSet controller: keeps `spec.replicas` pods named `<rs>-<5 chars>`. Existing
/// pods are never rewritten, so a loaded incident keeps the statuses it was captured with.
struct ReplicaSetController: WorkloadController {
    let resource = ResourceType.replicaSet

    func sync(namespace: String, name: String, in cluster: inout ClusterState) {
        guard var set = cluster.get(.replicaSet, namespace: namespace, name: name), !ClusterState.isTerminating(set) else { return }
        let desired = Int(set[path: ["spec", "replicas"]]?.int ?? 1)
        var pods = cluster.owned(.pod, by: set, kind: "ReplicaSet").filter { !ClusterState.isTerminating($0) }
        var failure: APIError?
        if pods.count < desired {
            for _ in pods.count..<desired {
                do {
                    pods.append(try cluster.createPod(from: set[path: ["spec", "template"]] ?? [:], owner: set,
                                                      type: .replicaSet, name: "\(name)-\(cluster.nameSuffix())"))
                } catch {
                    // The controller's slow start: the first refused create ends the batch.
                    failure = error
                    cluster.recordEvent(about: set, type: .replicaSet, style: .legacy(component: "replicaset-controller"),
                                        eventType: "Warning", reason: "FailedCreate",
                                        message: "Error creating: \(error.message)")
                    break
                }
            }
        } else if pods.count > desired {
            let doomed = pods.sorted { ClusterState.isReady(pod: $0) == ClusterState.isReady(pod: $1)
                ? ClusterState.name($0) > ClusterState.name($1) : !ClusterState.isReady(pod: $0) }.prefix(pods.count - desired)
            for pod in doomed {
                cluster.remove(.pod, namespace: namespace, name: ClusterState.name(pod), dependents: .delete)
            }
            pods.removeAll { pod in doomed.contains { ClusterState.name($0) == ClusterState.name(pod) } }
        }
        let ready = Int64(pods.filter(ClusterState.isReady(pod:)).count)
        set = cluster.get(.replicaSet, namespace: namespace, name: name) ?? set
        var status: [String: JSON] = [
            "replicas": .int(Int64(pods.count)), "fullyLabeledReplicas": .int(Int64(pods.count)),
            "readyReplicas": .int(ready), "availableReplicas": .int(ready),
            "observedGeneration": .int(ClusterState.generation(set)),
        ]
        for key in ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] where status[key] == 0 {
            status[key] = nil
        }
        if let conditions = replicaFailureConditions(set["status"] ?? [:], failure: failure, in: cluster) {
            status["conditions"] = conditions
        }
        set["status"] = .object(status)
        cluster.save(.replicaSet, set)
    }

    /// The `ReplicaFailure` condition (`FailedCreate`, the refusal's message) while pods
    /// cannot be created, gone once a sync creates what it needs; nil for no conditions.
    private func replicaFailureConditions(_ old: JSON, failure: APIError?, in cluster: ClusterState) -> JSON? {
        var conditions = (old["conditions"]?.array ?? []).filter { $0["type"]?.string != "ReplicaFailure" }
        let previous = (old["conditions"]?.array ?? []).first { $0["type"]?.string == "ReplicaFailure" }
        if let failure {
            conditions.append(previous ?? [
                "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                "message": .string(failure.message), "lastTransitionTime": .string(Timestamp.format(cluster.clock())),
            ])
        }
        return conditions.isEmpty ? nil : .array(conditions)
    }
}
