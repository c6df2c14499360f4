import MedicKube
import MedicRunbook

/// The `service` variable of runbook conditions: a Service with the pods its selector matches,
/// its endpoints (ready and not ready), the workloads it selects, and, when it selects
/// nothing, the workloads it was plausibly meant for (`intendedWorkloads`).
enum ServiceView {
    static func value(of service: Service, in cluster: ClusterView) -> CELValue {
        let namespace = service.metadata.namespace ?? "default"
        let pods = cluster.pods(selectedBy: service)
        let endpointsObject = cluster.endpoints[ObjectRef(kind: "Endpoints", namespace: namespace, name: service.metadata.name)]
        let subsets = endpointsObject?.subsets ?? []
        let ready = subsets.reduce(0) { $0 + $1.addresses.count }
        let notReady = subsets.reduce(0) { $0 + $1.notReadyAddresses.count }
        let selecting = cluster.workloads(selectedBy: service)
        let intended = pods.isEmpty ? IntendedWorkload.candidates(for: service, among: cluster.workloads(in: namespace)) : []
        return .map([
            "name": .string(service.metadata.name),
            "namespace": .string(namespace),
            "labels": .map(service.metadata.labels.mapValues(CELValue.string)),
            "annotations": .map(service.metadata.annotations.mapValues(CELValue.string)),
            "type": .string(service.spec.type ?? "ClusterIP"),
            "selector": .map(service.selectorLabels.mapValues(CELValue.string)),
            "ports": .list(service.spec.ports.map { port in
                let target = TargetPortCheck(port: port, pods: pods)
                return .map([
                    "name": .string(port.name ?? ""),
                    "port": .int(Int64(port.port)),
                    "targetPort": targetPort(port),
                    "served": target.served.map(CELValue.bool) ?? .null,
                    "declaredPorts": .list(target.declaredPorts.map { .int(Int64($0)) }),
                    "candidatePort": target.candidate.map { .int(Int64($0)) } ?? .null,
                    "candidateReason": .string(target.candidateReason),
                ])
            }),
            "endpoints": .map(["ready": .int(Int64(ready)), "notReady": .int(Int64(notReady)),
                               "known": .bool(endpointsObject != nil)]),
            "readyPods": .int(Int64(pods.filter(\.isReady).count)),
            "pods": .list(pods.map(PodView.value)),
            "workloads": .list(selecting.map { .map(["kind": .string($0.kind), "name": .string($0.name)]) }),
            "intendedWorkloads": .list(intended.map { candidate in
                .map([
                    "kind": .string(candidate.workload.kind),
                    "name": .string(candidate.workload.name),
                    "selector": .map(candidate.proposedSelector.mapValues(CELValue.string)),
                    "removedKeys": .list(candidate.removedKeys.map(CELValue.string)),
                    "reasons": .list(candidate.reasons.map(CELValue.string)),
                    "exclusive": .bool(candidate.exclusive),
                    "alsoSelects": .list(candidate.alsoSelects.map(CELValue.string)),
                ])
            }),
            "events": .list(cluster.events(kind: "Service", namespace: namespace, name: service.metadata.name)
                .map(EventView.value)),
        ])
    }
}

extension ServiceView {
    /// A targetPort as written: a number, or the name of a container port; absent means `port`.
    static func targetPort(_ port: ServicePort) -> CELValue {
        switch port.targetPort {
        case .int(let number)?: .int(Int64(number))
        case .string(let name)?: .string(name)
        case nil: .int(Int64(port.port))
        }
    }
}

/// The `namespace` variable: the target's namespace with its labels and whether it is marked
/// for chaos experiments (label or annotation `medic.io/chaos: "true"`).
enum NamespaceView {
    static let chaosMarker = "medic.io/chaos"

    static func value(named name: String, in cluster: ClusterView) -> CELValue {
        let namespace = cluster.namespaces[name]
        let labels = namespace?.metadata.labels ?? [:]
        let annotations = namespace?.metadata.annotations ?? [:]
        return .map([
            "name": .string(name),
            "labels": .map(labels.mapValues(CELValue.string)),
            "annotations": .map(annotations.mapValues(CELValue.string)),
            "chaosIntended": .bool(labels[chaosMarker] == "true" || annotations[chaosMarker] == "true"),
        ])
    }
}
