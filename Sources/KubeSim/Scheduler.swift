import Foundation
import MedicKube

/// kube-scheduler's default profile, reduced to its decision: a pod without `spec.nodeName`
/// is bound to the feasible node with the most room left (NodeResourcesFit's LeastAllocated
/// score, ties to the first name), or stays Pending with `PodScheduled=False`
/// (`Unschedulable`) and a `FailedScheduling` Event in kube-scheduler's exact words.
/// Pending pods are tried again whenever a node changes or a bound pod goes away.
enum SchedulingDecision: Sendable, Equatable {
    case bind(node: String)
    case unschedulable(message: String)
}

/// The scheduler's control loop: Pending pods go back to it when a bound pod goes away, a
/// node or a claim changes (a new pod is placed by admission, `placeNewPod`).
struct SchedulerController: Controller {
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        let deleted = event.type == ObjectStore.Change.deleted.rawValue
        switch event.resource {
        case .pod:
            return deleted && !(event.object[path: ["spec", "nodeName"]]?.string ?? "").isEmpty ? [.schedule] : []
        case .persistentVolumeClaim, .node:
            return [.schedule]
        default:
            return []
        }
    }

    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState) {
        if work == .schedule { cluster.schedulePending() }
    }
}

extension ClusterState {
    static let schedulerName = "default-scheduler"

    /// Where `pod` goes, given the nodes and the pods bound to them now.
    func schedule(_ pod: JSON) -> SchedulingDecision {
        let nodes = list(.node)
        guard !nodes.isEmpty else { return .unschedulable(message: "no nodes available to schedule pods") }
        if let failure = volumeBindingFailure(pod) {
            // A PreFilter failure: no node is tried, and preemption cannot help anywhere.
            return .unschedulable(message: "0/\(nodes.count) nodes are available: \(failure). preemption: 0/\(nodes.count) "
                + "nodes are available: \(nodes.count) Preemption is not helpful for scheduling.")
        }
        let resources = PodResources(pod: pod)
        var best: (node: String, score: Double)?
        var filterReasons: [String: Int] = [:]
        var preemptionReasons: [String: Int] = [:]
        for node in nodes {
            let name = Self.name(node)
            let bound = boundPods(on: name)
            let fit = NodeFit(pod: pod, resources: resources, node: node, boundPods: bound)
            if fit.fits {
                let score = Self.leastAllocatedScore(pod, node: node, boundPods: bound)
                if score > best?.score ?? -.infinity { best = (name, score) }
            } else {
                for reason in fit.reasons { filterReasons[reason, default: 0] += 1 }
                // No pod priorities are modelled: every bound pod has the incoming pod's
                // priority, so preemption never finds a victim where it could help.
                let preemption = fit.unresolvable ? "Preemption is not helpful for scheduling"
                    : "No preemption victims found for incoming pod"
                preemptionReasons[preemption, default: 0] += 1
            }
        }
        if let best { return .bind(node: best.node) }
        func histogram(_ reasons: [String: Int]) -> String {
            reasons.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
        }
        let total = nodes.count
        return .unschedulable(message: "0/\(total) nodes are available: \(histogram(filterReasons)). "
            + "preemption: 0/\(total) nodes are available: \(histogram(preemptionReasons)).")
    }

    /// Pods bound to `node` that still hold its resources (not finished, not being deleted).
    func boundPods(on node: String) -> [JSON] {
        list(.pod).filter { pod in
            let phase = pod[path: ["status", "phase"]]?.string
            return pod[path: ["spec", "nodeName"]]?.string == node && phase != "Succeeded" && phase != "Failed"
                && !Self.isTerminating(pod)
        }
    }

    /// The share of CPU and memory left free after placing the pod (requests of 0 count as
    /// the scheduler's non-zero defaults, 100m and 200Mi per container).
    private static func leastAllocatedScore(_ pod: JSON, node: JSON, boundPods: [JSON]) -> Double {
        func nonZero(_ pod: JSON, _ request: PodResources) -> (cpu: Int64, memory: Int64) {
            let count = Int64(max(1, pod[path: ["spec", "containers"]]?.array?.count ?? 1))
            return (request.cpuRequest > 0 ? request.cpuRequest : 100 * count,
                    request.memoryRequest > 0 ? request.memoryRequest : 200 * 1024 * 1024 * count)
        }
        let allocatable = node[path: ["status", "allocatable"]] ?? [:]
        let cpu = Double(PodResources.millicores(allocatable["cpu"]) ?? 0)
        let memory = Double(PodResources.bytes(allocatable["memory"]) ?? 0)
        guard cpu > 0, memory > 0 else { return 0 }
        var usedCPU = 0.0
        var usedMemory = 0.0
        for placed in boundPods + [pod] {
            let request = nonZero(placed, PodResources(pod: placed))
            usedCPU += Double(request.cpu)
            usedMemory += Double(request.memory)
        }
        return (1 - usedCPU / cpu + 1 - usedMemory / memory) / 2
    }

    /// Binds a new pod (before it is stored, `uid` set): its node and the status a kubelet would start it
    /// with, or the Pending status of a pod no node takes. Returns the decision so the caller
    /// can record its Event once the pod is stored; nil for a pod created with a node, which
    /// the scheduler never sees.
    mutating func placeNewPod(_ pod: inout JSON) -> SchedulingDecision? {
        if let node = pod[path: ["spec", "nodeName"]]?.string, !node.isEmpty {
            pod["status"] = initialPodStatus(for: pod)
            return nil
        }
        let decision = schedule(pod)
        switch decision {
        case .bind(let node):
            pod[path: ["spec", "nodeName"]] = .string(node)
            pod["status"] = initialPodStatus(for: pod)
        case .unschedulable(let message):
            pod["status"] = Self.unschedulableStatus(for: pod, message: message, now: clock())
            unschedulablePods.insert(Self.uid(pod))
        }
        return decision
    }

    /// The Events of a scheduling decision about a stored pod: `FailedScheduling`, and
    /// `Scheduled` when the cluster has nodes of its own (the standard single node records
    /// none, as KubeSim did before nodes were modelled).
    mutating func recordScheduling(_ decision: SchedulingDecision, pod: JSON) {
        func style(_ action: String) -> EventStyle {
            .series(controller: Self.schedulerName, instance: "\(Self.schedulerName)-kube-sim", action: action)
        }
        switch decision {
        case .bind(let node):
            guard list(.node).map(Self.name) != [ClusterNode.standard.name] else { return }
            recordEvent(about: pod, type: .pod, style: style("Binding"), eventType: "Normal", reason: "Scheduled",
                        message: "Successfully assigned \(Self.namespace(pod))/\(Self.name(pod)) to \(node)")
        case .unschedulable(let message):
            recordEvent(about: pod, type: .pod, style: style("Scheduling"), eventType: "Warning",
                        reason: "FailedScheduling", message: message)
        }
    }

    /// Tries every pod it left Pending again, oldest first.
    mutating func schedulePending() {
        guard !unschedulablePods.isEmpty else { return }
        let pending = list(.pod)
            .filter { unschedulablePods.contains(Self.uid($0)) && ($0[path: ["spec", "nodeName"]]?.string ?? "").isEmpty
                && !Self.isTerminating($0) }
            .sorted { ($0[path: ["metadata", "creationTimestamp"]]?.string ?? "", Self.name($0))
                < ($1[path: ["metadata", "creationTimestamp"]]?.string ?? "", Self.name($1)) }
        unschedulablePods = Set(pending.map(Self.uid))
        for candidate in pending {
            guard var pod = get(.pod, namespace: Self.namespace(candidate), name: Self.name(candidate)) else { continue }
            let decision = schedule(pod)
            switch decision {
            case .bind(let node):
                pod[path: ["spec", "nodeName"]] = .string(node)
                pod["status"] = initialPodStatus(for: pod)
                unschedulablePods.remove(Self.uid(pod))
                let stored = save(.pod, pod)
                recordScheduling(decision, pod: stored)
                claimsConsumed(by: stored)
            case .unschedulable(let message):
                let previous = (pod[path: ["status", "conditions"]]?.array ?? []).first { $0["type"]?.string == "PodScheduled" }
                if previous?["message"]?.string != message {
                    pod["status"] = Self.unschedulableStatus(for: pod, message: message, now: clock())
                    pod = save(.pod, pod)
                }
                recordScheduling(decision, pod: pod)
            }
        }
    }

    /// The status of a pod no node takes: Pending, `PodScheduled=False` with the fit error.
    static func unschedulableStatus(for pod: JSON, message: String, now: Date) -> JSON {
        [
            "phase": "Pending",
            "conditions": [[
                "type": "PodScheduled", "status": "False", "lastProbeTime": .null,
                "lastTransitionTime": .string(Timestamp.format(now)), "reason": "Unschedulable", "message": .string(message),
            ]],
            "qosClass": .string(qosClass(of: pod)),
        ]
    }

    /// `BestEffort` without any request or limit, `Guaranteed` when every container's CPU and
    /// memory limits equal its requests, else `Burstable`.
    static func qosClass(of pod: JSON) -> String {
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []) + (pod[path: ["spec", "initContainers"]]?.array ?? [])
        let resources = containers.map { $0["resources"] ?? [:] }
        let any = resources.contains { !($0["requests"]?.object ?? [:]).isEmpty || !($0["limits"]?.object ?? [:]).isEmpty }
        guard any else { return "BestEffort" }
        let guaranteed = resources.allSatisfy { resource in
            ["cpu", "memory"].allSatisfy { name in
                guard let limit = resource[path: ["limits", name]] else { return false }
                let request = resource[path: ["requests", name]] ?? limit
                return name == "cpu" ? PodResources.millicores(request) == PodResources.millicores(limit)
                    : PodResources.bytes(request) == PodResources.bytes(limit)
            }
        }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
