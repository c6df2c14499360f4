import MedicKube

/// The node lifecycle controller's part KubeSim models: a cordoned node
/// (`spec.unschedulable`, what `kubectl cordon` sets) carries the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint, and loses it when uncordoned.
/// Node changes also send Pending pods back to the scheduler (`ControllerWork.schedule`).
struct NodeController: Controller {
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        guard event.resource == .node, event.type != ObjectStore.Change.deleted.rawValue else { return [] }
        return [.node(name: ClusterState.name(event.object))]
    }

    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState) {
        guard case .node(let name) = work else { return }
        sync(name: name, in: &cluster)
    }

    func sync(name: String, in cluster: inout ClusterState) {
        guard var node = cluster.get(.node, namespace: "", name: name) else { return }
        let cordoned = node[path: ["spec", "unschedulable"]]?.bool == true
        var taints = node[path: ["spec", "taints"]]?.array ?? []
        let tainted = taints.contains { $0["key"]?.string == NodeFit.unschedulableTaintKey && $0["effect"]?.string == "NoSchedule" }
        guard cordoned != tainted else { return }
        if cordoned {
            taints.append(["key": .string(NodeFit.unschedulableTaintKey), "effect": "NoSchedule",
                           "timeAdded": .string(Timestamp.format(cluster.clock()))])
        } else {
            taints.removeAll { $0["key"]?.string == NodeFit.unschedulableTaintKey && $0["effect"]?.string == "NoSchedule" }
        }
        node[path: ["spec", "taints"]] = taints.isEmpty ? nil : .array(taints)
        cluster.save(.node, node)
    }
}

extension ClusterState {
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
