import MedicKube

/// Whether a Service port's targetPort reaches something the selected pods serve. Evidence is
/// what the pods declare (container ports, and the ports their probes check), since a
/// container may listen on a port it does not declare: `served` is unknown (nil) when some
/// container of the selected pods declares no port at all (it may be the one listening), true
/// when one declares the target (by number, or by name for a named targetPort) or probes it,
/// and false otherwise.
///
/// `candidate` is the one port the fix would point at: the only port the pods declare, else
/// the declared port named like the Service port, else the one equal to the Service port's own
/// number. With several and none of those, there is no candidate and a human decides.
public struct TargetPortCheck: Sendable, Equatable {
    public var served: Bool?
    /// Distinct port numbers the selected pods declare or probe, ascending.
    public var declaredPorts: [Int]
    public var candidate: Int?
    public var candidateReason: String

    public init(port: ServicePort, pods: [Pod]) {
        var numbers = Set<Int>()
        var names: [String: Int] = [:]
        var silentContainer = false
        for pod in pods {
            for container in pod.spec.containers {
                let probed = [container.readinessProbe, container.livenessProbe, container.startupProbe]
                    .contains { $0?.port != nil }
                if container.ports.isEmpty && !probed { silentContainer = true }
                for declared in container.ports where (declared.protocol ?? "TCP") == (port.protocol ?? "TCP") {
                    numbers.insert(declared.containerPort)
                    if let name = declared.name { names[name] = declared.containerPort }
                }
                for probe in [container.readinessProbe, container.livenessProbe, container.startupProbe] {
                    if case .int(let number)? = probe?.port { numbers.insert(number) }
                }
            }
        }
        declaredPorts = numbers.sorted()
        candidate = nil
        candidateReason = ""
        guard !pods.isEmpty, !numbers.isEmpty, !silentContainer else {
            served = nil
            return
        }
        switch port.targetPort ?? .int(port.port) {
        case .int(let number): served = numbers.contains(number)
        case .string(let name): served = names[name] != nil
        }
        guard served == false else { return }
        if numbers.count == 1, let only = numbers.first {
            candidate = only
            candidateReason = "the pods declare only port \(only)"
        } else if let name = port.name, let named = names[name] {
            candidate = named
            candidateReason = "the pods' port \(named) is named '\(name)' like the Service port"
        } else if numbers.contains(port.port) {
            candidate = port.port
            candidateReason = "the pods declare port \(port.port), the Service port's own number"
        }
    }
}
