import MedicKube

/// The node lifecycle controller's part KubeSim models: a cordoned node
/// (`spec.unschedulable`, what `kubectl cordon` sets) carries the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint, and loses it when uncordoned.
/// Node changes also send Pending pods back to the scheduler (`Work.schedule`).
extension ClusterState {
    mutating func syncNode(name: String) {
        guard var node = get(.node, namespace: "", name: name) else { return }
        let cordoned = node[path: ["spec", "unschedulable"]]?.bool == true
        var taints = node[path: ["spec", "taints"]]?.array ?? []
        let tainted = taints.contains { $0["key"]?.string == NodeFit.unschedulableTaintKey && $0["effect"]?.string == "NoSchedule" }
        guard cordoned != tainted else { return }
        if cordoned {
            taints.append(["key": .string(NodeFit.unschedulableTaintKey), "effect": "NoSchedule",
                           "timeAdded": .string(Timestamp.format(clock()))])
        } else {
            taints.removeAll { $0["key"]?.string == NodeFit.unschedulableTaintKey && $0["effect"]?.string == "NoSchedule" }
        }
        node[path: ["spec", "taints"]] = taints.isEmpty ? nil : .array(taints)
        save(.node, node)
    }

    /// Replaces the cluster's nodes with `nodes` (a scenario's `spec.nodes`).
    mutating func installNodes(_ nodes: [ClusterNode]) {
        for node in list(.node) { remove(.node, namespace: "", name: Self.name(node), dependents: .orphan) }
        for (index, node) in nodes.enumerated() {
            insertLoaded(node.object(now: clock(), podCIDRIndex: index))
            enqueue(.node(name: node.name))
        }
        enqueue(.schedule)
        settle()
    }

    /// Whether the only node is the standard one nobody declared, untouched by any pod.
    var hasOnlyStandardNode: Bool {
        list(.node).map(Self.name) == [ClusterNode.standard.name] && boundPods(on: ClusterNode.standard.name).isEmpty
    }
}
