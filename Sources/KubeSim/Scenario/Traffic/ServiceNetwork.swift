import Foundation
import MedicKube

/// The cluster network as one step of traffic sees it: Services with their ports and ready
/// endpoints (from the Endpoints objects, as kube-proxy routes), and the running pods behind
/// them with their app and its calls already resolved. Built once per step, so the many
/// requests of a step are routed by index rather than by looking objects up.
struct ServiceNetwork {
    struct ServiceNode {
        var namespace: String
        var name: String
        var ports: [PortRoute]
    }

    /// One Service port: where its ready addresses send a connection.
    struct PortRoute {
        var port: Int
        var name: String?
        var endpoints: [Endpoint]
    }

    enum Endpoint {
        case pod(Int)
        /// Nothing listens on the target port there: connection refused.
        case refused(ip: String, port: Int)
    }

    /// Where a URL leads: a Service port, or nowhere (no such Service, no such port, an
    /// unset `$(VAR)`), which the caller sees as a failed connection.
    enum Route: Equatable {
        case service(Int, port: Int)
        case unreachable(String)
    }

    struct ContainerNode {
        var name: String
        var image: String
        var app: AppBehaviour?
        var env: [String: String]
        var declaredPorts: [Int]
        /// Cores; nil without a limit.
        var cpuLimit: Double?
        var memoryLimit: Int64?
        var restarts: Int64
        var startedAt: Date?

        func listens(on port: Int) -> Bool {
            if let app { return app.listens.contains(port) }
            return declaredPorts.contains(port)
        }
    }

    /// One call of an app, resolved: where it leads, the host it names (the `target` label of
    /// the client's metric, a Service or not), and the retries its container's environment sets.
    struct CallNode {
        var route: Route
        var target: String
        var retries: Int
        var policy: AppBehaviour.Retries?
    }

    struct PodNode {
        var namespace: String
        var name: String
        var labels: [String: String]
        var ready: Bool
        var containers: [ContainerNode]
        /// The container whose app serves the pod's requests: the first with a behaviour.
        var main: Int
        var calls: [CallNode]
        /// The `service` label of its app metrics: a Service selecting it, else its `app` label.
        var service: String?

        var key: String { ClusterState.key(namespace, name) }
        var app: AppBehaviour? { containers[main].app }
    }

    private(set) var services: [ServiceNode] = []
    private(set) var pods: [PodNode] = []
    private var serviceIndex: [String: Int] = [:]
    private var podIndex: [String: Int] = [:]

    init(cluster: ClusterState, scenario: Scenario) {
        for pod in cluster.list(.pod) where pod[path: ["status", "phase"]]?.string == "Running"
            && !(pod[path: ["spec", "containers"]]?.array ?? []).isEmpty {
            podIndex[ClusterState.key(ClusterState.namespace(pod), ClusterState.name(pod))] = pods.count
            pods.append(Self.node(pod, scenario: scenario))
        }
        for service in cluster.list(.service) {
            let namespace = ClusterState.namespace(service)
            let name = ClusterState.name(service)
            let endpoints = cluster.get(.endpoints, namespace: namespace, name: name)
            let ports = (service[path: ["spec", "ports"]]?.array ?? []).enumerated().map { index, port in
                PortRoute(port: Int(port["port"]?.int ?? 0), name: port["name"]?.string,
                          endpoints: route(port: port, index: index, endpoints: endpoints, namespace: namespace))
            }
            serviceIndex[ClusterState.key(namespace, name)] = services.count
            services.append(ServiceNode(namespace: namespace, name: name, ports: ports))
            if let selector = service[path: ["spec", "selector"]]?.object, !selector.isEmpty {
                for index in pods.indices where pods[index].namespace == namespace && pods[index].service == nil
                    && selector.allSatisfy({ pods[index].labels[$0.key] == $0.value.string }) {
                    pods[index].service = name
                }
            }
        }
        for index in pods.indices {
            if pods[index].service == nil { pods[index].service = pods[index].labels["app"] }
            let main = pods[index].containers[pods[index].main]
            pods[index].calls = (main.app?.calls ?? []).map { call in
                CallNode(route: resolve(call.url, from: pods[index].namespace, env: main.env),
                         target: Self.host(call.url, env: main.env).first ?? "", retries: call.retries?.count(env: main.env) ?? 0,
                         policy: call.retries)
            }
        }
    }

    func service(namespace: String, name: String) -> Int? { serviceIndex[ClusterState.key(namespace, name)] }
    func pod(key: String) -> Int? { podIndex[key] }

    /// `http://host[:port]/path` from a pod of `namespace`: the host is `svc`, `svc.ns`, or
    /// `svc.ns.svc.cluster.local`; without a port, the Service's first one.
    func resolve(_ url: String, from namespace: String, env: [String: String]) -> Route {
        guard let expanded = Self.expand(url, env: env) else { return .unreachable("an environment variable in \(url) is not set") }
        let authority = Self.authority(expanded)
        let parts = authority.split(separator: ":", maxSplits: 1)
        let labels = Self.host(expanded, env: [:])
        guard let name = labels.first else { return .unreachable("no host in \(url)") }
        let target = labels.count >= 2 ? labels[1] : namespace
        guard let index = service(namespace: target, name: name) else {
            return .unreachable("lookup \(authority): no such host")
        }
        let ports = services[index].ports
        if parts.count == 2 {
            guard let number = Int(parts[1]), let port = ports.firstIndex(where: { $0.port == number }) else {
                return .unreachable("dial tcp \(authority): connection refused")
            }
            return .service(index, port: port)
        }
        guard !ports.isEmpty else { return .unreachable("dial tcp \(authority): connection refused") }
        return .service(index, port: 0)
    }

    /// The DNS labels of the URL's host (`["db", "shop"]` for `http://db.shop:80/x`); empty when
    /// it has none or a variable it uses is not set.
    static func host(_ url: String, env: [String: String]) -> [String] {
        guard let expanded = expand(url, env: env) else { return [] }
        let host = authority(expanded).split(separator: ":", maxSplits: 1).first ?? ""
        return host.split(separator: ".").map(String.init)
    }

    private static func authority(_ url: String) -> Substring {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return rest.prefix { $0 != "/" && $0 != "?" }
    }

    /// `$(VAR)` replaced by the container's value; nil when one is not set.
    static func expand(_ text: String, env: [String: String]) -> String? {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "$(") {
            guard let close = rest[open.upperBound...].firstIndex(of: ")") else { break }
            guard let value = env[String(rest[open.upperBound..<close])] else { return nil }
            result += rest[..<open.lowerBound] + value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private func route(port: JSON, index: Int, endpoints: JSON?, namespace: String) -> [Endpoint] {
        var result: [Endpoint] = []
        for subset in endpoints?["subsets"]?.array ?? [] {
            let subsetPorts = subset["ports"]?.array ?? []
            let named = port["name"]?.string.flatMap { name in subsetPorts.first { $0["name"]?.string == name } }
            let matching: JSON? = named ?? (subsetPorts.count == 1 ? subsetPorts[0] : (index < subsetPorts.count ? subsetPorts[index] : nil))
            guard let number = matching?["port"]?.int.map(Int.init) else { continue }
            for address in subset["addresses"]?.array ?? [] {
                let ip = address["ip"]?.string ?? ""
                let podName = address[path: ["targetRef", "name"]]?.string ?? ""
                if let pod = podIndex[ClusterState.key(namespace, podName)],
                   pods[pod].containers.contains(where: { $0.startedAt != nil && $0.listens(on: number) }) {
                    result.append(.pod(pod))
                } else {
                    result.append(.refused(ip: ip, port: number))
                }
            }
        }
        return result
    }

    private static func node(_ pod: JSON, scenario: Scenario) -> PodNode {
        let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []).map { container in
            let name = container["name"]?.string ?? ""
            let image = container["image"]?.string ?? ""
            let status = statuses.first { $0["name"]?.string == name }
            var env: [String: String] = [:]
            for variable in container["env"]?.array ?? [] {
                if let key = variable["name"]?.string, let value = variable["value"]?.string { env[key] = value }
            }
            return ContainerNode(
                name: name, image: image, app: scenario.app(forImage: image), env: env,
                declaredPorts: (container["ports"]?.array ?? []).compactMap { $0["containerPort"]?.int.map(Int.init) },
                cpuLimit: Self.quantity(container[path: ["resources", "limits", "cpu"]]).flatMap {
                    (try? Quantity.millicores($0)).map { Double($0) / 1000 }
                },
                memoryLimit: Self.quantity(container[path: ["resources", "limits", "memory"]]).flatMap { try? Quantity.bytes($0) },
                restarts: status?["restartCount"]?.int ?? 0,
                startedAt: status?[path: ["state", "running", "startedAt"]]?.string.flatMap(Timestamp.parse))
        }
        var labels: [String: String] = [:]
        for (key, value) in pod[path: ["metadata", "labels"]]?.object ?? [:] { labels[key] = value.string }
        return PodNode(namespace: ClusterState.namespace(pod), name: ClusterState.name(pod), labels: labels,
                       ready: ClusterState.isReady(pod: pod), containers: containers,
                       main: containers.firstIndex { $0.app != nil } ?? 0, calls: [], service: nil)
    }

    private static func quantity(_ value: JSON?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return String(number)
        default: return nil
        }
    }
}
