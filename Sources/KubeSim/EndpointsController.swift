import MedicKube
/// The Endpoints controller: a Service's selector over the pods of its namespace, ready pods
/// under `addresses`, the rest under `notReadyAddresses`, target ports resolved by name.
struct EndpointsController: Controller {
    /// A pod change changes the Services of its namespace that select it now, and those whose
    /// Endpoints list it (its labels may have changed, or it is gone); a Service change its own.
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        let namespace = ClusterState.namespace(event.object)
        switch event.resource {
        case .pod:
            let pod = event.object
            let name = ClusterState.name(pod)
            let labels = pod[path: ["metadata", "labels"]]?.object ?? [:]
            let selecting = cluster.list(.service, namespace: namespace).filter { service in
                guard let selector = service[path: ["spec", "selector"]]?.object, !selector.isEmpty else { return false }
                return LabelSelector(equalities: selector).matches(labels)
            }.map(ClusterState.name)
            let listing = cluster.list(.endpoints, namespace: namespace).filter { endpoints in
                (endpoints["subsets"]?.array ?? []).contains { subset in
                    ["addresses", "notReadyAddresses"].contains { field in
                        (subset[field]?.array ?? []).contains { $0[path: ["targetRef", "name"]]?.string == name }
                    }
                }
            }.map(ClusterState.name)
            return Set(selecting + listing).sorted().map { ControllerWork.endpoints(namespace: namespace, service: $0) }
        case .service:
            return [.endpoints(namespace: namespace, service: ClusterState.name(event.object))]
        default:
            return []
        }
    }

    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState) {
        guard case .endpoints(let namespace, let service) = work else { return }
        sync(namespace: namespace, service: service, in: &cluster)
    }

    func sync(namespace: String, service name: String, in cluster: inout ClusterState) {
        guard let service = cluster.get(.service, namespace: namespace, name: name) else {
            if cluster.get(.endpoints, namespace: namespace, name: name) != nil {
                cluster.remove(.endpoints, namespace: namespace, name: name, dependents: .orphan)
            }
            return
        }
        guard let selector = service[path: ["spec", "selector"]]?.object, !selector.isEmpty else { return }
        let pods = cluster.list(.pod, namespace: namespace, labels: LabelSelector(equalities: selector))
            .filter { !ClusterState.isTerminating($0) && $0[path: ["status", "podIP"]]?.string != nil }
        func address(_ pod: JSON) -> JSON {
            var address: JSON = [
                "ip": pod[path: ["status", "podIP"]] ?? "",
                "targetRef": ["kind": "Pod", "namespace": .string(namespace), "name": .string(ClusterState.name(pod)),
                              "uid": .string(ClusterState.uid(pod))],
            ]
            if let node = pod[path: ["spec", "nodeName"]] { address["nodeName"] = node }
            return address
        }
        var endpoints: JSON = cluster.get(.endpoints, namespace: namespace, name: name) ?? [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string(ClusterState.newUID()),
                         "creationTimestamp": .string(Timestamp.format(cluster.clock()))],
        ]
        if let labels = service[path: ["metadata", "labels"]] { endpoints[path: ["metadata", "labels"]] = labels }
        if pods.isEmpty {
            endpoints["subsets"] = nil
        } else {
            let ready = pods.filter(ClusterState.isReady(pod:)).map(address)
            let notReady = pods.filter { !ClusterState.isReady(pod: $0) }.map(address)
            let ports: [JSON] = (service[path: ["spec", "ports"]]?.array ?? []).map { port in
                var resolved: JSON = ["port": .int(Self.targetPort(of: port, in: pods[0])),
                                      "protocol": port["protocol"] ?? "TCP"]
                if let name = port["name"] { resolved["name"] = name }
                return resolved
            }
            var subset: [String: JSON] = ["ports": .array(ports)]
            if !ready.isEmpty { subset["addresses"] = .array(ready) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            endpoints["subsets"] = [.object(subset)]
        }
        cluster.save(.endpoints, endpoints)
    }

    private static func targetPort(of port: JSON, in pod: JSON) -> Int64 {
        switch port["targetPort"] {
        case .int(let number): return number
        case .string(let name):
            for container in pod[path: ["spec", "containers"]]?.array ?? [] {
                for declared in container["ports"]?.array ?? [] where declared["name"]?.string == name {
                    return declared["containerPort"]?.int ?? 0
                }
            }
            return Int64(name) ?? 0
        default: return port["port"]?.int ?? 0
        }
    }
}
