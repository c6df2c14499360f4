import MedicKube

/// `metrics.k8s.io/v1beta1` PodMetrics and NodeMetrics, as metrics-server serves them, from
/// the played scenario's model: a container's CPU is what the traffic model made it use over
/// the last tick, its memory the working set the app's model gives (the same numbers
/// `/metrics` exposes as cAdvisor series). Without a scenario, or for a container the model
/// does not know, CPU is 0 and memory the model's 16Mi for an unknown app. Only running pods
/// (bound, phase Running) have metrics; a node's usage is the sum of its pods'.
enum ResourceMetricsAPI {
    static func list(_ type: ResourceType, namespace: String?, labels: LabelSelector, name: String?,
                     cluster: ClusterState) throws(APIError) -> JSON {
        let now = Timestamp.format(cluster.clock())
        let items: [JSON]
        if type == .podMetrics {
            items = cluster.list(.pod, namespace: namespace, labels: labels)
                .filter { name == nil || ClusterState.name($0) == name }
                .compactMap { podMetrics($0, cluster: cluster, now: now) }
        } else {
            items = cluster.list(.node, labels: labels)
                .filter { name == nil || ClusterState.name($0) == name }
                .map { nodeMetrics($0, cluster: cluster, now: now) }
        }
        if let name {
            guard var item = items.first else { throw APIError.notFound(type, name) }
            item["kind"] = .string(type.kind)
            item["apiVersion"] = .string(type.apiVersion)
            return item
        }
        return ["kind": .string(type.listKind), "apiVersion": .string(type.apiVersion), "metadata": [:],
                "items": .array(items)]
    }

    /// Usage per container of a running pod: (name, CPU cores, memory bytes).
    static func usage(_ pod: JSON, cluster: ClusterState) -> [(name: String, cpu: Double, memory: Double)]? {
        guard pod[path: ["status", "phase"]] == "Running", !(pod[path: ["spec", "nodeName"]]?.string ?? "").isEmpty else {
            return nil
        }
        let namespace = ClusterState.namespace(pod)
        let name = ClusterState.name(pod)
        let samples = cluster.runtime?.traffic.samples(cluster: cluster, at: cluster.clock()) ?? []
        return (pod[path: ["spec", "containers"]]?.array ?? []).compactMap { container in
            guard let containerName = container["name"]?.string else { return nil }
            let key = TrafficModel.ContainerKey(namespace: namespace, pod: name, container: containerName)
            let memory = samples.first { sample in
                let labels = Dictionary(sample.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                return sample.family == .memoryWorkingSet && labels["pod"] == name && labels["namespace"] == namespace
                    && labels["container"] == containerName
            }?.value ?? Double(TrafficModel.unknownAppMemory)
            return (containerName, cluster.runtime?.traffic.cpuRates[key] ?? 0, memory)
        }
    }

    private static func podMetrics(_ pod: JSON, cluster: ClusterState, now: String) -> JSON? {
        guard let containers = usage(pod, cluster: cluster) else { return nil }
        return [
            "metadata": metadata(pod, now: now), "timestamp": .string(now), "window": "10s",
            "containers": .array(containers.map { ["name": .string($0.name), "usage": usageJSON(cpu: $0.cpu, memory: $0.memory)] }),
        ]
    }

    private static func nodeMetrics(_ node: JSON, cluster: ClusterState, now: String) -> JSON {
        let name = ClusterState.name(node)
        var cpu = 0.0
        var memory = 0.0
        for pod in cluster.list(.pod) where pod[path: ["spec", "nodeName"]]?.string == name {
            for container in usage(pod, cluster: cluster) ?? [] {
                cpu += container.cpu
                memory += container.memory
            }
        }
        return ["metadata": metadata(node, now: now), "timestamp": .string(now), "window": "10s",
                "usage": usageJSON(cpu: cpu, memory: memory)]
    }

    private static func metadata(_ object: JSON, now: String) -> JSON {
        var metadata: JSON = ["name": object[path: ["metadata", "name"]] ?? "", "creationTimestamp": .string(now)]
        if let namespace = object[path: ["metadata", "namespace"]] { metadata["namespace"] = namespace }
        if let labels = object[path: ["metadata", "labels"]] { metadata["labels"] = labels }
        return metadata
    }

    /// metrics-server's units: nanocores and kibibytes.
    private static func usageJSON(cpu: Double, memory: Double) -> JSON {
        ["cpu": .string("\(Int64((cpu * 1e9).rounded()))n"), "memory": .string("\(Int64(memory / 1024))Ki")]
    }
}

extension ResourceType {
    public static let podMetrics = ResourceType(
        group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetrics", plural: "pods", singular: "",
        namespaced: true, shortNames: [], categories: [], subresources: [], verbs: ["get", "list"])
    public static let nodeMetrics = ResourceType(
        group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetrics", plural: "nodes", singular: "",
        namespaced: false, shortNames: [], categories: [], subresources: [], verbs: ["get", "list"])
}
