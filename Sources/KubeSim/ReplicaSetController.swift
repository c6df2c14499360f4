import MedicKube
/// The ReplicaSet controller: keeps `spec.replicas` pods named `<rs>-<5 chars>`. Existing
/// pods are never rewritten, so a loaded incident keeps the statuses it was captured with.
extension ClusterState {
    mutating func syncReplicaSet(namespace: String, name: String) {
        guard var set = get(.replicaSet, namespace: namespace, name: name), !Self.isTerminating(set) else { return }
        let desired = Int(set[path: ["spec", "replicas"]]?.int ?? 1)
        var pods = owned(.pod, by: set, kind: "ReplicaSet").filter { !Self.isTerminating($0) }
        if pods.count < desired {
            for _ in pods.count..<desired {
                pods.append(createPod(from: set[path: ["spec", "template"]] ?? [:], owner: set, type: .replicaSet,
                                      name: "\(name)-\(nameSuffix())"))
            }
        } else if pods.count > desired {
            let doomed = pods.sorted { Self.isReady(pod: $0) == Self.isReady(pod: $1)
                ? Self.name($0) > Self.name($1) : !Self.isReady(pod: $0) }.prefix(pods.count - desired)
            for pod in doomed {
                remove(.pod, namespace: namespace, name: Self.name(pod), orphan: false)
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
        set["status"] = .object(status)
        save(.replicaSet, set)
    }

    /// A pod as a kubelet would report it once started: the template, an owner reference and
    /// the status the pod status model decides.
    @discardableResult
    mutating func createPod(from template: JSON, owner: JSON, type: ResourceType, name: String,
                            extraLabels: [String: JSON] = [:]) -> JSON {
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
        pod[path: ["spec", "nodeName"]] = "kube-sim"
        pod["status"] = initialPodStatus(for: pod)
        return save(.pod, pod)
    }
}
