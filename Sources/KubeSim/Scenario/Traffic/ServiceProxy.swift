import Foundation
import MedicKube

/// The `{[scheme:]name[:port]}` segment of a service proxy URL.
struct ServiceProxyTarget: Equatable {
    var name: String
    /// A port number or name; nil for the Service's first port.
    var port: String?

    init(_ segment: String) {
        let parts = segment.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: name = parts[0]
        case 2: (name, port) = (parts[0], parts[1].isEmpty ? nil : parts[1])
        default: (name, port) = (parts[1], parts[2].isEmpty ? nil : parts[2])
        }
    }
}

/// What the apiserver's service proxy answers: the app's status with a small JSON body, and
/// how long the request took in the model (the handler waits that long, outside the lock).
struct ServiceProxyResult: Sendable {
    /// Longest a proxied request is held: a model latency of minutes would only hang clients.
    static let maxDelay: Double = 30

    var status: Int
    var latency: Double
    var body: JSON
}

extension ClusterState {
    /// One request through `services/{service}/proxy{path}`, routed and answered by the traffic
    /// model at the current time and counted in its metrics. Without a scenario, pods answer
    /// on their declared container ports.
    mutating func proxy(namespace: String, service reference: String, method: String,
                        path: String) throws(APIError) -> ServiceProxyResult {
        let target = ServiceProxyTarget(reference)
        var traffic = runtime?.traffic ?? TrafficModel(scenario: Scenario(
            name: "", description: "", history: 0, registry: [], load: [], apps: [], timeline: []))
        let network = ServiceNetwork(cluster: self, scenario: traffic.scenario)
        guard let service = network.service(namespace: namespace, name: target.name) else {
            throw APIError.notFound(.service, target.name)
        }
        let ports = network.services[service].ports
        let port: Int?
        if let wanted = target.port {
            port = ports.firstIndex { $0.name == wanted || String($0.port) == wanted }
        } else {
            port = ports.isEmpty ? nil : 0
        }
        guard let port else {
            throw Self.unavailable("no service port \"\(target.port ?? "")\" found for service \"\(target.name)\"")
        }
        let answer = traffic.proxy(service: service, port: port, network: network, now: clock())
        runtime?.traffic = traffic
        guard answer.reached else {
            if ports[port].endpoints.isEmpty {
                throw Self.unavailable("no endpoints available for service \"\(target.name)\"")
            }
            throw Self.unavailable("error trying to reach service: dial tcp: connect: connection refused")
        }
        var body: JSON = ["service": .string(target.name), "pod": .string(answer.pod ?? ""), "method": .string(method),
                          "path": .string(path), "status": .int(Int64(answer.status))]
        if answer.status >= 500 { body["error"] = .string(answer.status == 503 ? "Service Unavailable" : "Internal Server Error") }
        return ServiceProxyResult(status: answer.status, latency: answer.latency, body: body)
    }

    private static func unavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message)
    }
}
