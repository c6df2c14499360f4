/// A minimal DaemonSet controller for a one-node cluster: one pod, replaced when the
/// template changes.
struct DaemonSetController: WorkloadController {
    let resource = ResourceType.daemonSet

    func sync(namespace: String, name: String, in cluster: inout ClusterState) {
        guard var set = cluster.get(.daemonSet, namespace: namespace, name: name), !ClusterState.isTerminating(set) else { return }
        let template = set[path: ["spec", "template"]] ?? [:]
        let hash = PodTemplateHash.of(template)
        var pods = cluster.owned(.pod, by: set, kind: "DaemonSet")
        let templateChanged = ClusterState.generation(set) != ClusterState.observedGeneration(set)
        for pod in pods where templateChanged && pod[path: ["metadata", "labels", "controller-revision-hash"]]?.string != hash {
            cluster.remove(.pod, namespace: namespace, name: ClusterState.name(pod), dependents: .delete)
            pods.removeAll { ClusterState.name($0) == ClusterState.name(pod) }
        }
        if pods.isEmpty, let pod = try? cluster.createPod(from: template, owner: set, type: .daemonSet,
                                                          name: "\(name)-\(cluster.nameSuffix())",
                                                          extraLabels: ["controller-revision-hash": .string(hash)]) {
            pods.append(pod)
        }
        let ready = Int64(pods.filter(ClusterState.isReady(pod:)).count)
        let updated = Int64(pods.filter { $0[path: ["metadata", "labels", "controller-revision-hash"]]?.string == hash }.count)
        set = cluster.get(.daemonSet, namespace: namespace, name: name) ?? set
        set["status"] = [
            "observedGeneration": .int(ClusterState.generation(set)), "desiredNumberScheduled": 1,
            "currentNumberScheduled": .int(Int64(pods.count)), "numberMisscheduled": 0, "numberReady": .int(ready),
            "numberAvailable": .int(ready), "updatedNumberScheduled": .int(updated),
        ]
        cluster.save(.daemonSet, set)
    }
}
