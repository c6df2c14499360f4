import MedicKube
/// The ReplicaSet controller: keeps `spec.replicas` pods named `<rs>-<5 chars>`. Existing
/// pods are never rewritten, so a loaded incident keeps the statuses it was captured with.
extension ClusterState {
    mutating func syncReplicaSet(namespace: String, name: String) {
        guard var set = get(.replicaSet, namespace: namespace, name: name), !Self.isTerminating(set) else { return }
        let desired = Int(set[path: ["spec", "replicas"]]?.int ?? 1)
        var pods = owned(.pod, by: set, kind: "ReplicaSet").filter { !Self.isTerminating($0) }
        var failure: APIError?
        if pods.count < desired {
            for _ in pods.count..<desired {
                do {
                    pods.append(try createPod(from: set[path: ["spec", "template"]] ?? [:], owner: set, type: .replicaSet,
                                              name: "\(name)-\(nameSuffix())"))
                } catch {
                    // The controller's slow start: the first refused create ends the batch.
                    failure = error
                    recordEvent(about: set, type: .replicaSet, style: .legacy(component: "replicaset-controller"),
                                eventType: "Warning", reason: "FailedCreate", message: "Error creating: \(error.message)")
                    break
                }
            }
        } else if pods.count > desired {
            let doomed = pods.sorted { Self.isReady(pod: $0) == Self.isReady(pod: $1)
                ? Self.name($0) > Self.name($1) : !Self.isReady(pod: $0) }.prefix(pods.count - desired)
            for pod in doomed {
                remove(.pod, namespace: namespace, name: Self.name(pod), dependents: .delete)
            }
            pods.removeAll { pod in doomed.contains { Self.name($0) == Self.name(pod) } }
        }
        let ready = Int64(pods.filter(Self.isReady(pod:)).count)
        set = get(.replicaSet, namespace: namespace, name: name) ?? set
        var status: [String: JSON] = [
            "replicas": .int(Int64(pods.count)), "fullyLabeledReplicas": .int(Int64(pods.count)),
            "readyReplicas": .int(ready), "availableReplicas": .int(ready),
            "observedGeneration": .int(Self.generation(set)),
        ]
        for key in ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] where status[key] == 0 {
            status[key] = nil
        }
        if let conditions = replicaFailureConditions(set["status"] ?? [:], failure: failure) {
            status["conditions"] = conditions
        }
        set["status"] = .object(status)
        save(.replicaSet, set)
    }

    /// The `ReplicaFailure` condition (`FailedCreate`, the refusal's message) while pods
    /// cannot be created, gone once a sync creates what it needs; nil for no conditions.
    private func replicaFailureConditions(_ old: JSON, failure: APIError?) -> JSON? {
        var conditions = (old["conditions"]?.array ?? []).filter { $0["type"]?.string != "ReplicaFailure" }
        let previous = (old["conditions"]?.array ?? []).first { $0["type"]?.string == "ReplicaFailure" }
        if let failure {
            conditions.append(previous ?? [
                "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                "message": .string(failure.message), "lastTransitionTime": .string(Timestamp.format(clock())),
            ])
        }
        return conditions.isEmpty ? nil : .array(conditions)
    }

    /// A pod as a kubelet would report it once started: the template, an owner reference and
    /// the status the pod status model decides. Throws what admission refuses (a quota).
    @discardableResult
    mutating func createPod(from template: JSON, owner: JSON, type: ResourceType, name: String,
                            extraLabels: [String: JSON] = [:]) throws(APIError) -> JSON {
        var labels = template[path: ["metadata", "labels"]]?.object ?? [:]
        labels.merge(extraLabels) { _, new in new }
        var metadata: [String: JSON] = [
            "name": .string(name), "namespace": .string(Self.namespace(owner)), "uid": .string(Self.newUID()),
            "creationTimestamp": .string(Timestamp.format(clock())), "labels": .object(labels),
            "ownerReferences": [Self.ownerReference(to: owner, type: type)],
        ]
        if type != .statefulSet { metadata["generateName"] = .string(Self.name(owner) + "-") }
        if let annotations = template[path: ["metadata", "annotations"]] { metadata["annotations"] = annotations }
        var pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata),
                         "spec": template["spec"] ?? [:]]
        admitNewPod(&pod)
        try admitAgainstQuotas(pod)
        let decision = placeNewPod(&pod)
        let stored = save(.pod, pod)
        if let decision { recordScheduling(decision, pod: stored) }
        return stored
    }
}
