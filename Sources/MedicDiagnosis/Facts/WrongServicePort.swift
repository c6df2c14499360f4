import Foundation
import MedicKube

/// An environment address that names an existing Service on a port the Service does not
/// expose (`PRODUCT_CATALOG_ADDR=product-catalog:8082` while product-catalog serves 8080):
/// every connection is refused at the Service's virtual IP, however healthy the pods behind it
/// look. The fix is determined when the Service exposes one port, or when exactly one of its
/// ports forwards to the port written (the pod port was used instead of the Service port).
/// Headless Services are skipped: their DNS names resolve to pods, whatever ports they declare.
public struct WrongServicePort: Sendable, Equatable {
    public var variable: String
    public var value: String
    public var service: String
    public var port: Int
    public var servicePorts: [Int]
    public var fixedValue: String?

    public static func find(name variable: String, value: String, namespace: String,
                            services: [String: Service]) -> WrongServicePort? {
        guard let (host, range) = DanglingServiceReference.host(in: value, variable: variable) else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        guard let name = labels.first, labels.count == 1 || labels[1] == namespace,
              labels.count <= 2 || labels[2] == "svc", let service = services[name],
              service.spec.clusterIP != "None", service.spec.type != "ExternalName", !service.spec.ports.isEmpty else { return nil }
        let rest = value[range.upperBound...]
        guard rest.first == ":" else { return nil }
        let digits = rest.dropFirst().prefix { $0.isNumber }
        guard let port = Int(digits), !digits.isEmpty else { return nil }
        let exposed = service.spec.ports.map(\.port)
        guard !exposed.contains(port) else { return nil }
        let forwarding = service.spec.ports.filter { $0.targetPort == .int(port) }.map(\.port)
        let fix = exposed.count == 1 ? exposed[0] : forwarding.count == 1 ? forwarding[0] : nil
        let fixed = fix.map { value.replacingCharacters(in: digits.startIndex..<digits.endIndex, with: String($0)) }
        return WrongServicePort(variable: variable, value: value, service: name, port: port, servicePorts: exposed,
                                fixedValue: fixed)
    }
}
