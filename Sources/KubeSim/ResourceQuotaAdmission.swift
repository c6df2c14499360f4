import MedicKube

/// The ResourceQuota admission plugin and quota controller for pods: compute resources
/// (`requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`, and `cpu`/`memory` as
/// aliases of the requests) and the `pods` count. A pod that would take a namespace past a
/// quota's `hard` is refused with the apiserver's 403, word for word:
/// `pods "web-x" is forbidden: exceeded quota: compute, requested: limits.memory=2Gi, used:
/// limits.memory=3Gi, limited: limits.memory=4Gi`.
extension ClusterState {
    /// Resource names of a quota this model counts; others in `hard` are stored and ignored.
    static let podQuotaResources: Set<String> = [
        "pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
    ]

    /// What one pod adds to each quota resource, in base units (millicores, bytes, pods).
    static func quotaUsage(of pod: JSON) -> [String: Int64] {
        let resources = PodResources(pod: pod)
        return ["pods": 1, "cpu": resources.cpuRequest, "requests.cpu": resources.cpuRequest,
                "memory": resources.memoryRequest, "requests.memory": resources.memoryRequest,
                "limits.cpu": resources.cpuLimit, "limits.memory": resources.memoryLimit]
    }

    /// The pods a quota counts: not finished and not being deleted.
    func quotaCountedPods(namespace: String) -> [JSON] {
        list(.pod, namespace: namespace).filter { pod in
            let phase = pod[path: ["status", "phase"]]?.string
            return phase != "Succeeded" && phase != "Failed" && !Self.isTerminating(pod)
        }
    }

    /// Admission of a new pod against every quota of its namespace, in name order.
    func admitAgainstQuotas(_ pod: JSON) throws(APIError) {
        let namespace = Self.namespace(pod)
        let name = Self.name(pod)
        let resources = PodResources(pod: pod)
        let requested = Self.quotaUsage(of: pod)
        var used: [String: Int64] = [:]
        for other in quotaCountedPods(namespace: namespace) {
            for (resource, amount) in Self.quotaUsage(of: other) { used[resource, default: 0] += amount }
        }
        for quota in list(.resourceQuota, namespace: namespace) {
            let hard = Self.quantities(quota[path: ["spec", "hard"]]).filter { Self.podQuotaResources.contains($0.key) }
            guard !hard.isEmpty else { continue }
            // Quota on cpu or memory makes every container state it (the evaluator's Constraints).
            var missing: [String: [String]] = [:]
            for resource in hard.keys {
                switch resource {
                case "cpu", "requests.cpu": missing[resource] = resources.containersWithoutCPURequest
                case "memory", "requests.memory": missing[resource] = resources.containersWithoutMemoryRequest
                case "limits.cpu": missing[resource] = resources.containersWithoutCPULimit
                case "limits.memory": missing[resource] = resources.containersWithoutMemoryLimit
                default: break
                }
            }
            let missingText = missing.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { "\($0.key) for: \($0.value.sorted().joined(separator: ","))" }
            if !missingText.isEmpty {
                throw Self.quotaForbidden(name, "failed quota: \(Self.name(quota)): must specify \(missingText.joined(separator: "; "))")
            }
            let exceeded = hard.keys.sorted().filter { resource in
                (requested[resource] ?? 0) > 0 && (used[resource] ?? 0) + (requested[resource] ?? 0) > hard[resource]!
            }
            if !exceeded.isEmpty {
                func pretty(_ values: [String: Int64]) -> String {
                    exceeded.map { "\($0)=\(Self.quotaText($0, values[$0] ?? 0))" }.joined(separator: ",")
                }
                throw Self.quotaForbidden(name, "exceeded quota: \(Self.name(quota)), requested: \(pretty(requested)), "
                    + "used: \(pretty(used)), limited: \(pretty(hard))")
            }
        }
    }

    private static func quotaForbidden(_ pod: String, _ detail: String) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: "pods \"\(pod)\" is forbidden: \(detail)",
                 name: pod, kind: "pods")
    }

    /// The quota controller's sync: `status.hard` mirrors `spec.hard`, `status.used` counts
    /// the namespace's pods for the resources this model knows.
    mutating func syncResourceQuotas(namespace: String) {
        let pods = quotaCountedPods(namespace: namespace)
        for var quota in list(.resourceQuota, namespace: namespace) {
            let hard = quota[path: ["spec", "hard"]]?.object ?? [:]
            var used: [String: JSON] = [:]
            for resource in hard.keys {
                guard Self.podQuotaResources.contains(resource) else { used[resource] = "0"; continue }
                let total = pods.reduce(Int64(0)) { $0 + (Self.quotaUsage(of: $1)[resource] ?? 0) }
                used[resource] = .string(Self.quotaText(resource, total))
            }
            quota["status"] = ["hard": .object(hard), "used": .object(used)]
            save(.resourceQuota, quota)
        }
    }

    /// Base units back to a quantity as `resource.Quantity.String()` prints it: millicores as
    /// `500m`/`2`, bytes in the largest binary unit that divides them, counts as numbers.
    static func quotaText(_ resource: String, _ amount: Int64) -> String {
        if resource.hasSuffix("cpu") { return Quantity.formatMillicores(amount) }
        if resource.hasSuffix("memory") { return Quantity.formatBytes(amount) }
        return String(amount)
    }

    /// `spec.hard` in base units.
    static func quantities(_ hard: JSON?) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for (resource, value) in hard?.object ?? [:] {
            let amount = resource.hasSuffix("cpu") ? PodResources.millicores(value) : PodResources.bytes(value)
            if let amount { result[resource] = amount }
        }
        return result
    }
}

/// The quota controller: a namespace's quotas are counted again when one of them or a pod
/// changes, and when room may have been made (a pod gone, `hard` changed) the ReplicaSets
/// whose pod creation a quota refused try again.
struct ResourceQuotaController: Controller {
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        let object = event.object
        let namespace = ClusterState.namespace(object)
        switch event.resource {
        case .pod:
            guard !cluster.list(.resourceQuota, namespace: namespace).isEmpty else { return [] }
            let freed = event.type == ObjectStore.Change.deleted.rawValue
            return [ControllerWork.quotas(namespace: namespace)] + (freed ? refusedReplicaSets(namespace: namespace, in: cluster) : [])
        case .resourceQuota:
            // A changed `hard` (not yet mirrored into the status): refused creates may fit now.
            let changed = object[path: ["spec", "hard"]] != object[path: ["status", "hard"]]
            return [ControllerWork.quotas(namespace: namespace)] + (changed ? refusedReplicaSets(namespace: namespace, in: cluster) : [])
        default:
            return []
        }
    }

    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState) {
        guard case .quotas(let namespace) = work else { return }
        cluster.syncResourceQuotas(namespace: namespace)
    }

    /// The ReplicaSets of `namespace` whose last pod creation was refused.
    private func refusedReplicaSets(namespace: String, in cluster: ClusterState) -> [ControllerWork] {
        cluster.list(.replicaSet, namespace: namespace)
            .filter { ($0[path: ["status", "conditions"]]?.array ?? []).contains { $0["type"]?.string == "ReplicaFailure" } }
            .map { ControllerWork.sync(.replicaSet, namespace: namespace, name: ClusterState.name($0)) }
    }
}
