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

    /// Only series with a `namespace` label; the index points into them.
    private let placed: [Series]
    private let index: LabelIndex

    init(_ series: [Series]) {
        placed = series.filter { $0.labels["namespace"] != nil }
        index = LabelIndex(count: placed.count) { [placed] in (placed[$0].labels["namespace"] ?? "", placed[$0].labels) }
    }

    /// The series about `identity`, in the order Prometheus gave them: index lookups per
    /// label, not a scan of the namespace's series per target.
    func series(for identity: Identity) -> [Series] {
        var positions = Set<Int>()
        for (label, names) in identity.names {
            positions.formUnion(index.carrying(label, oneOf: names, in: identity.namespace))
        }
        return positions.sorted().map { placed[$0] }
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
