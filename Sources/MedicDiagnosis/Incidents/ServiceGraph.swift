import Foundation
import MedicKube

/// Who calls whom, from what the cluster already says: a Service leads to the workloads it
/// selects, and a workload to the Services it calls. A call is read from the workload's
/// environment (an address naming a Service, as `DanglingServiceReference` reads it), from its
/// `medic.io/depends-on` annotation (Service names, comma-separated), or from the last words
/// of its crashed containers (a previous log or termination message naming `service:port` or
/// `scheme://service`, or a Service's cluster IP with a port; a name that did not resolve leads to
/// the workload whose Service is missing). Entry points are Services of type LoadBalancer or NodePort, the
/// Services an Ingress or a Gateway API HTTPRoute routes to, and any the caller names (a policy's `entrypoints`). Built once per diagnosis; pure.
public struct ServiceGraph: Sendable {
    /// How medic knows that a workload calls a Service.
    public enum Source: String, Sendable, Codable, Comparable {
        case environment, annotation, log, metrics

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A workload calls a Service.
    public struct Call: Sendable, Hashable {
        public var caller: ObjectRef
        public var service: ObjectRef
        public var source: Source
        /// Where it was read: the variable, the annotation, or the container whose log said it.
        public var detail: String
    }

    public static let dependsOnAnnotation = "medic.io/depends-on"

    /// Calls per calling workload, in a stable order.
    public let calls: [ObjectRef: [Call]]
    /// Workloads each Service selects.
    public let selected: [ObjectRef: [ObjectRef]]
    /// Workloads a Service that selects nothing was plausibly meant for (`IntendedWorkload`):
    /// the way its requests would go, had its selector matched.
    public let intended: [ObjectRef: [ObjectRef]]
    /// The workloads that call each Service, the reverse of `calls`.
    public let callers: [ObjectRef: [ObjectRef]]
    /// Entry-point Services, sorted.
    public let entryPoints: [ObjectRef]
    /// The Ingresses and HTTPRoutes that route to each entry point (`Ingress shop/public`),
    /// so an impact can say how users come in.
    public let routes: [ObjectRef: [String]]

    public init(_ cluster: ClusterView, entryPoints named: [ObjectRef] = [], metricCalls: [MetricCalls.Edge] = []) {
        var selected: [ObjectRef: [ObjectRef]] = [:]
        for workload in cluster.workloads {
            for service in cluster.services(selecting: workload) {
                selected[Self.ref(service), default: []].append(workload.ref)
            }
        }
        self.selected = selected
        var intended: [ObjectRef: [ObjectRef]] = [:]
        for service in cluster.services where selected[Self.ref(service)] == nil {
            let meant = IntendedWorkload.candidates(for: service, among: cluster.workloads(in: service.metadata.namespace ?? "default"))
            if !meant.isEmpty { intended[Self.ref(service)] = meant.map(\.workload) }
        }
        self.intended = intended
        // Calls read from the environment and from last words are indexed by the cluster view
        // already; the annotation is read here.
        var found: [ObjectRef: Set<Call>] = [:]
        func add(_ caller: ObjectRef, _ service: String, _ source: Source, _ detail: String) {
            add(caller, ObjectRef(kind: "Service", namespace: caller.namespace, name: service), source, detail)
        }
        func add(_ caller: ObjectRef, _ service: ObjectRef, _ source: Source, _ detail: String) {
            found[caller, default: []].insert(Call(caller: caller, service: service, source: source, detail: detail))
        }
        for workload in cluster.workloads {
            for caller in cluster.calls(of: workload) {
                add(workload.ref, caller.service, .environment, "\(caller.container) env \(caller.variable)")
            }
            let services = cluster.serviceNamesByNamespace[workload.namespace] ?? []
            for name in (workload.metadata.annotations[Self.dependsOnAnnotation] ?? "").split(separator: ",") {
                let service = name.trimmingCharacters(in: .whitespaces)
                if services.contains(service) { add(workload.ref, service, .annotation, Self.dependsOnAnnotation) }
            }
            // A caller that cannot resolve a missing Service's name calls the workload it meant.
            for unresolved in cluster.unresolved(meaning: workload) {
                add(unresolved.caller, workload.ref, .log, "\(unresolved.container)'s last words")
            }
            for words in cluster.lastWords(of: workload) {
                add(workload.ref, words.service, .log, "\(words.container)'s last words")
            }
        }
        for edge in metricCalls where cluster.servicesByNamespace[edge.target.namespace]?[edge.target.name] != nil {
            let callers: [ObjectRef] = switch edge.caller {
            case .service(let name): selected[ObjectRef(kind: "Service", namespace: edge.namespace, name: name)] ?? []
            case .workload(let name): cluster.workloads(in: edge.namespace).filter { $0.name == name }.map(\.ref)
            }
            for caller in callers { add(caller, edge.target, .metrics, edge.metric) }
        }
        var calls: [ObjectRef: [Call]] = [:]
        for workload in cluster.workloads {
            guard let outgoing = found[workload.ref] else { continue }
            // A Service a workload selects itself is its own address, not a dependency.
            let own = Set(cluster.services(selecting: workload).map(Self.ref))
            let dependencies = outgoing.filter { !own.contains($0.service) }
            if !dependencies.isEmpty {
                calls[workload.ref] = dependencies.sorted {
                    ($0.service.name, $0.source, $0.detail) < ($1.service.name, $1.source, $1.detail)
                }
            }
        }
        self.calls = calls
        var callers: [ObjectRef: [ObjectRef]] = [:]
        for (caller, outgoing) in calls.sorted(by: { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }) {
            for service in Set(outgoing.map(\.service)) { callers[service, default: []].append(caller) }
        }
        self.callers = callers
        let exposed = cluster.services.filter { ["LoadBalancer", "NodePort"].contains($0.spec.type ?? "") }.map(Self.ref)
        // A route to a Service that does not exist leads nowhere medic can follow.
        let routed = cluster.routedServices.filter { cluster.servicesByNamespace[$0.service.namespace]?[$0.service.name] != nil }
        entryPoints = Array(Set(exposed + routed.map(\.service) + named)).sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        routes = Dictionary(grouping: routed, by: \.service).mapValues { Array(Set($0.map(\.route))).sorted() }
    }

    /// The Services `workload` calls, each once, with the first way medic knows it.
    public func dependencies(of workload: ObjectRef) -> [Call] {
        var seen = Set<ObjectRef>()
        return (calls[workload] ?? []).filter { seen.insert($0.service).inserted }
    }

    /// The Services through which `workload` gets its requests: those that select it, and
    /// those meant to that select nothing.
    public func services(sendingTo workload: ObjectRef) -> [ObjectRef] {
        (selected.filter { $0.value.contains(workload) }.map(\.key) + intended.filter { $0.value.contains(workload) }.map(\.key))
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// Entry points from which `target` (a workload or a Service) is reached by following
    /// Services to the workloads they select and workloads to the Services they call.
    public func entryPoints(reaching target: ObjectRef) -> [ObjectRef] {
        entryPoints.filter { reaches(from: $0, to: target) }
    }

    func reaches(from start: ObjectRef, to target: ObjectRef) -> Bool {
        var queue = [start]
        var seen: Set<ObjectRef> = [start]
        while let node = queue.popLast() {
            if node == target { return true }
            let next = node.kind == "Service" ? selected[node] ?? [] : (calls[node] ?? []).map(\.service)
            for neighbour in next where seen.insert(neighbour).inserted { queue.append(neighbour) }
        }
        return false
    }

    static func ref(_ service: Service) -> ObjectRef {
        service.ref
    }
}
