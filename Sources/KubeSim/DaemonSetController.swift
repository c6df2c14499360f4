/// A minimal DaemonSet controller for a one-node cluster: one pod, replaced when the
/// template changes.
extension ClusterState {
    mutating func syncDaemonSet(namespace: String, name: String) {
        guard var set = get(.daemonSet, namespace: namespace, name: name), !Self.isTerminating(set) else { return }
        let template = set[path: ["spec", "template"]] ?? [:]
        let hash = PodTemplateHash.of(template)
        var pods = owned(.pod, by: set, kind: "DaemonSet")
        let templateChanged = Self.generation(set) != Self.observedGeneration(set)
        for pod in pods where templateChanged && pod[path: ["metadata", "labels", "controller-revision-hash"]]?.string != hash {
            remove(.pod, namespace: namespace, name: Self.name(pod), dependents: .delete)
            pods.removeAll { Self.name($0) == Self.name(pod) }
        }
        if pods.isEmpty, let pod = try? createPod(from: template, owner: set, type: .daemonSet,
                                                  name: "\(name)-\(nameSuffix())",
                                                  extraLabels: ["controller-revision-hash": .string(hash)]) {
            pods.append(pod)
        }
        let ready = Int64(pods.filter(Self.isReady(pod:)).count)
        let updated = Int64(pods.filter { $0[path: ["metadata", "labels", "controller-revision-hash"]]?.string == hash }.count)
        set = get(.daemonSet, namespace: namespace, name: name) ?? set
        set["status"] = [
            "observedGeneration": .int(Self.generation(set)), "desiredNumberScheduled": 1,
            "currentNumberScheduled": .int(Int64(pods.count)), "numberMisscheduled": 0, "numberReady": .int(ready),
            "numberAvailable": .int(ready), "updatedNumberScheduled": .int(updated),
        ]
        save(.daemonSet, set)
    }
}
