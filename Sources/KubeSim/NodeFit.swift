import MedicKube

/// Whether a pod fits one node, judged as kube-scheduler's default filter plugins do, in
/// their order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts,
/// NodeResourcesFit): the first plugin that rejects the node gives its reasons.
struct NodeFit: Sendable, Equatable {
    /// Why the node was rejected (`node(s) had untolerated taint {k: v}`, `Insufficient cpu`),
    /// empty when the pod fits.
    var reasons: [String] = []
    /// `UnschedulableAndUnresolvable`: evicting pods from the node would not help, so
    /// preemption reports it as "Preemption is not helpful for scheduling".
    var unresolvable = false

    var fits: Bool { reasons.isEmpty }

    static let unschedulableTaintKey = "node.kubernetes.io/unschedulable"

    /// - Parameter boundPods: the pods already bound to the node and not finished.
    init(pod: JSON, resources: PodResources, node: JSON, boundPods: [JSON]) {
        let tolerations = pod[path: ["spec", "tolerations"]]?.array ?? []
        if node[path: ["spec", "unschedulable"]]?.bool == true,
           !Self.tolerates(tolerations, key: Self.unschedulableTaintKey, value: "", effect: "NoSchedule") {
            self.init(reasons: ["node(s) were unschedulable"], unresolvable: true)
            return
        }
        for taint in node[path: ["spec", "taints"]]?.array ?? [] {
            let effect = taint["effect"]?.string ?? ""
            guard effect == "NoSchedule" || effect == "NoExecute" else { continue }
            let key = taint["key"]?.string ?? ""
            let value = taint["value"]?.string ?? ""
            if !Self.tolerates(tolerations, key: key, value: value, effect: effect) {
                self.init(reasons: ["node(s) had untolerated taint {\(key): \(value)}"], unresolvable: true)
                return
            }
        }
        if !Self.matchesAffinity(pod: pod, node: node) {
            self.init(reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true)
            return
        }
        let wanted = Self.hostPorts(of: pod)
        if !wanted.isEmpty, !wanted.isDisjoint(with: Set(boundPods.flatMap(Self.hostPorts(of:)))) {
            self.init(reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false)
            return
        }
        let allocatable = node[path: ["status", "allocatable"]] ?? [:]
        let allowedPods = allocatable["pods"].flatMap { PodResources.bytes($0) } ?? 110
        let cpu = PodResources.millicores(allocatable["cpu"]) ?? 0
        let memory = PodResources.bytes(allocatable["memory"]) ?? 0
        let used = boundPods.map { PodResources(pod: $0) }
        let usedCPU = used.reduce(0) { $0 + $1.cpuRequest }
        let usedMemory = used.reduce(0) { $0 + $1.memoryRequest }
        var reasons: [String] = []
        var unresolvable = false
        if boundPods.count + 1 > allowedPods { reasons.append("Too many pods") }
        if resources.cpuRequest > 0, resources.cpuRequest > cpu - usedCPU {
            reasons.append("Insufficient cpu")
            unresolvable = unresolvable || resources.cpuRequest > cpu
        }
        if resources.memoryRequest > 0, resources.memoryRequest > memory - usedMemory {
            reasons.append("Insufficient memory")
            unresolvable = unresolvable || resources.memoryRequest > memory
        }
        self.init(reasons: reasons, unresolvable: unresolvable)
    }

    init(reasons: [String], unresolvable: Bool) {
        self.reasons = reasons
        self.unresolvable = unresolvable
    }

    /// `v1.Toleration.ToleratesTaint`: an empty effect tolerates every effect, an empty key
    /// with `Exists` every key; `Equal` (the default operator) compares the value.
    static func tolerates(_ tolerations: [JSON], key: String, value: String, effect: String) -> Bool {
        tolerations.contains { toleration in
            let tolerationEffect = toleration["effect"]?.string ?? ""
            if !tolerationEffect.isEmpty, tolerationEffect != effect { return false }
            let tolerationKey = toleration["key"]?.string ?? ""
            if !tolerationKey.isEmpty, tolerationKey != key { return false }
            switch toleration["operator"]?.string ?? "Equal" {
            case "Exists": return true
            case "Equal", "": return (toleration["value"]?.string ?? "") == value
            default: return false
            }
        }
    }

    /// `spec.nodeSelector` (every label) and the required node affinity (any term, every
    /// expression of it).
    static func matchesAffinity(pod: JSON, node: JSON) -> Bool {
        let labels = node[path: ["metadata", "labels"]]?.object ?? [:]
        for (key, value) in pod[path: ["spec", "nodeSelector"]]?.object ?? [:] where labels[key] != value {
            return false
        }
        let required = pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]]
        guard let required, required.object != nil else { return true }
        let terms = required["nodeSelectorTerms"]?.array ?? []
        return terms.contains { term in
            let expressions = term["matchExpressions"]?.array ?? []
            let fields = term["matchFields"]?.array ?? []
            guard !expressions.isEmpty || !fields.isEmpty else { return false }
            let name: [String: JSON] = ["metadata.name": node[path: ["metadata", "name"]] ?? ""]
            return expressions.allSatisfy { matches($0, labels) } && fields.allSatisfy { matches($0, name) }
        }
    }

    /// One `NodeSelectorRequirement`: In, NotIn, Exists, DoesNotExist, Gt, Lt.
    static func matches(_ requirement: JSON, _ labels: [String: JSON]) -> Bool {
        let key = requirement["key"]?.string ?? ""
        let values = (requirement["values"]?.array ?? []).compactMap(\.string)
        let value = labels[key]?.string
        switch requirement["operator"]?.string ?? "" {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0]) else { return false }
            return requirement["operator"]?.string == "Gt" ? actual > bound : actual < bound
        default: return false
        }
    }

    /// "protocol/port" of every container port with a `hostPort`.
    static func hostPorts(of pod: JSON) -> Set<String> {
        var ports = Set<String>()
        for container in (pod[path: ["spec", "containers"]]?.array ?? []) + (pod[path: ["spec", "initContainers"]]?.array ?? []) {
            for port in container["ports"]?.array ?? [] {
                guard let hostPort = port["hostPort"]?.int, hostPort > 0 else { continue }
                ports.insert("\(port["protocol"]?.string ?? "TCP")/\(hostPort)")
            }
        }
        return ports
    }
}
