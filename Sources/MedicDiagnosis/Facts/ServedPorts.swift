import MedicKube

/// The ports a container can be shown to serve: the ports it declares, and the `targetPort`s
/// of Services that send it traffic (a number, or a name resolved against its declared ports).
/// A probe aimed anywhere else is probing a port nothing was said to listen on.
public enum ServedPorts {
    public static func ports(of container: Container, in podSpec: PodSpec, services: [Service]) -> [Int] {
        var ports = container.ports.map(\.containerPort)
        for service in services {
            for servicePort in service.spec.ports {
                switch servicePort.targetPort {
                case .int(let number)?:
                    // A numeric targetPort belongs to the container that declares it, or to the
                    // only container of the pod.
                    let declaredElsewhere = podSpec.containers.contains { other in
                        other.name != container.name && other.ports.contains { $0.containerPort == number }
                    }
                    if !declaredElsewhere && (container.ports.contains { $0.containerPort == number }
                        || podSpec.containers.count == 1) {
                        ports.append(number)
                    }
                case .string(let name)?:
                    if let port = container.port(named: name) { ports.append(port.containerPort) }
                case nil:
                    if podSpec.containers.count == 1 { ports.append(servicePort.port) }
                }
            }
        }
        var seen = Set<Int>()
        return ports.filter { seen.insert($0).inserted }
    }
}
