import MedicProm

/// "Metric samples per workload": which series of a query are about a target. A series joins a
/// workload when its `namespace` label matches and one of `deployment`/`statefulset`/
/// `daemonset`/`workload`/`app` names it, its `service` label names it or a Service selecting
/// it, or its `pod` label names one of its pods. A Service joins on `service` or on its pods. Series
/// without a `namespace` label cannot be placed and are ignored.
struct MetricJoin {
    struct Identity {
        var namespace: String
        var names: [String: Set<String>]
    }

    private let byNamespace: [String: [Series]]

    init(_ series: [Series]) {
        var index: [String: [Series]] = [:]
        for item in series {
            guard let namespace = item.labels["namespace"] else { continue }
            index[namespace, default: []].append(item)
        }
        byNamespace = index
    }

    func series(for identity: Identity) -> [Series] {
        (byNamespace[identity.namespace] ?? []).filter { series in
            identity.names.contains { label, names in series.labels[label].map(names.contains) ?? false }
        }
    }

    static func identity(of workload: Workload, pods: [String], services: [String]) -> Identity {
        let own: Set<String> = [workload.name]
        var names: [String: Set<String>] = [
            "workload": own, "app": own, "service": Set(services).union(own), "pod": Set(pods),
        ]
        // `deployment="x"` and the like; a bare pod's own `pod` label is already there.
        names[workload.kind.lowercased(), default: []].formUnion(own)
        return Identity(namespace: workload.namespace, names: names)
    }

    static func identity(ofService name: String, namespace: String, pods: [String]) -> Identity {
        Identity(namespace: namespace, names: ["service": [name], "pod": Set(pods)])
    }
}
