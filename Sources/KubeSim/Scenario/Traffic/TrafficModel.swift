import Foundation

/// The users' load and what it does: every request of every `Load` routed through Services,
/// Endpoints and the apps' calls, counted as the apps' own metrics and cAdvisor's would be.
///
/// Deterministic: each load draws from its own generator seeded by its name, so the same
/// scenario plays the same answers and latencies on every run.
struct TrafficModel: Sendable {
    struct ServiceKey: Hashable, Sendable {
        var namespace: String
        var service: String
    }

    struct ContainerKey: Hashable, Sendable {
        var namespace: String
        var pod: String
        var container: String
    }

    struct PoolGauge: Sendable {
        var service: String?
        var active: Double
        var size: Int
    }

    let scenario: Scenario
    /// What each pod ("namespace/name") served and spent in the last step: the kubelet's input.
    private(set) var podLoads: [String: PodLoad] = [:]
    private(set) var requests: [ServiceKey: [Int: Int]] = [:]
    private(set) var durations: [ServiceKey: LatencyHistogram] = [:]
    private(set) var clientCalls: [RequestModel.ClientKey: [Int: Int]] = [:]
    private var cpuSeconds: [ContainerKey: Double] = [:]
    /// CPU cores each container used over the last interval: what metrics-server would report.
    private(set) var cpuRates: [ContainerKey: Double] = [:]
    private var pools: [String: PoolGauge] = [:]
    private var generators: [SplitMix64]
    private var proxyGenerator = SplitMix64(name: "service-proxy")
    /// Requests not yet sent: a rate times a step is rarely whole.
    private var carried: [Double]
    private var startedAt: Date?

    init(scenario: Scenario) {
        self.scenario = scenario
        generators = scenario.load.map { SplitMix64(name: $0.name) }
        carried = Array(repeating: 0, count: scenario.load.count)
    }

    /// Sends the requests of the `interval` before `now`, at the rates of that point of the story.
    mutating func advance(to now: Date, by interval: TimeInterval, cluster: ClusterState) {
        if startedAt == nil { startedAt = now.addingTimeInterval(-interval) }
        let elapsed = now.timeIntervalSince(startedAt ?? now)
        let network = ServiceNetwork(cluster: cluster, scenario: scenario)
        let entries = scenario.load.map { network.resolve($0.url, from: "default", env: [:]) }
        let rates = scenario.load.map { $0.rate(at: elapsed - interval) }
        var model = RequestModel(network: network, entering: Array(zip(entries, rates)), now: now)
        for index in scenario.load.indices {
            carried[index] += rates[index] * interval
            let count = Int(carried[index])
            carried[index] -= Double(count)
            guard case .service = entries[index] else { continue }
            for _ in 0..<count { _ = model.send(entries[index], depth: 0, rng: &generators[index]) }
        }
        record(model, interval: interval)
    }

    /// One request through the Service proxy at `now`, counted with the load's.
    mutating func proxy(service: Int, port: Int, network: ServiceNetwork, now: Date) -> RequestModel.Answer {
        let rates = scenario.load.map { load in
            (network.resolve(load.url, from: "default", env: [:]), load.rate(at: now.timeIntervalSince(startedAt ?? now)))
        }
        var model = RequestModel(network: network, entering: rates, now: now)
        let answer = model.call(service, port: port, depth: 0, rng: &proxyGenerator)
        record(model, interval: 0)
        return answer
    }

    private mutating func record(_ model: RequestModel, interval: TimeInterval) {
        let network = model.network
        for (index, tally) in model.tallies.enumerated() where tally.histogram.count > 0 {
            let key = ServiceKey(namespace: network.services[index].namespace, service: network.services[index].name)
            requests[key, default: [:]].merge(tally.statuses, uniquingKeysWith: +)
            durations[key, default: LatencyHistogram()].merge(tally.histogram)
        }
        clientCalls.merge(model.clientCalls) { old, new in old.merging(new, uniquingKeysWith: +) }
        guard interval > 0 else { return }
        podLoads = [:]
        pools = [:]
        for (index, pod) in network.pods.enumerated() {
            let state = model.pods[index]
            podLoads[pod.key] = PodLoad(requestsPerSecond: state.requestsPerSecond, cpuDemand: state.cpuDemand.reduce(0, +),
                                        cpuUsed: state.cpuUsed.reduce(0, +))
            for (position, container) in pod.containers.enumerated() {
                let key = ContainerKey(namespace: pod.namespace, pod: pod.name, container: container.name)
                cpuSeconds[key, default: 0] += state.cpuUsed[position] * interval
                cpuRates[key] = state.cpuUsed[position]
            }
            if let pool = state.pool { pools[pod.key] = PoolGauge(service: pod.service, active: pool.active, size: pool.size) }
        }
    }

    /// Every series at `now`: request counters and durations by Service, the clients' calls by
    /// target, pool gauges, the
    /// pods' CPU and memory as cAdvisor reports them and kube-state-metrics' view of them.
    func samples(cluster: ClusterState, at now: Date) -> [MetricSample] {
        var samples: [MetricSample] = []
        for key in requests.keys.sorted(by: { ($0.namespace, $0.service) < ($1.namespace, $1.service) }) {
            for (status, count) in (requests[key] ?? [:]).sorted(by: { $0.key < $1.key }) {
                samples.append(.counter(.httpRequests, [("namespace", key.namespace), ("service", key.service),
                                                        ("status", String(status))], Double(count)))
            }
        }
        for key in durations.keys.sorted(by: { ($0.namespace, $0.service) < ($1.namespace, $1.service) }) {
            samples += MetricSample.histogram(.httpRequestDuration, [("namespace", key.namespace), ("service", key.service)],
                                              durations[key] ?? LatencyHistogram())
        }
        for key in clientCalls.keys.sorted(by: { ($0.namespace, $0.service, $0.target) < ($1.namespace, $1.service, $1.target) }) {
            for (status, count) in (clientCalls[key] ?? [:]).sorted(by: { $0.key < $1.key }) {
                samples.append(.counter(.httpClientRequests, [("namespace", key.namespace), ("service", key.service),
                                                              ("target", key.target), ("status", String(status))], Double(count)))
            }
        }
        let network = ServiceNetwork(cluster: cluster, scenario: scenario)
        for pod in network.pods {
            let podLabels: [(name: String, value: String)] = [("namespace", pod.namespace), ("pod", pod.name)]
            if let pool = pools[pod.key] {
                var labels = podLabels
                if let service = pool.service { labels.insert(("service", service), at: 1) }
                samples.append(.gauge(.dbConnectionsActive, labels, pool.active.rounded()))
                samples.append(.gauge(.dbConnectionsMax, labels, Double(pool.size)))
            }
            let rate = podLoads[pod.key]?.requestsPerSecond ?? 0
            for container in pod.containers {
                let labels = podLabels + [("container", container.name)]
                let key = ContainerKey(namespace: pod.namespace, pod: pod.name, container: container.name)
                samples.append(.counter(.cpuUsage, labels, cpuSeconds[key] ?? 0))
                if let started = container.startedAt {
                    let memory = container.app?.workingSet(requestsPerSecond: rate, uptime: now.timeIntervalSince(started))
                        ?? Self.unknownAppMemory
                    samples.append(.gauge(.memoryWorkingSet, labels, Double(memory)))
                }
                samples.append(.counter(.restarts, labels, Double(container.restarts)))
                if let cpu = container.cpuLimit {
                    samples.append(.gauge(.limits, labels + [("resource", "cpu"), ("unit", "core")], cpu))
                }
                if let memory = container.memoryLimit {
                    samples.append(.gauge(.limits, labels + [("resource", "memory"), ("unit", "byte")], Double(memory)))
                }
            }
            samples.append(.gauge(.podReady, podLabels + [("condition", "true")], pod.ready ? 1 : 0))
            samples.append(.gauge(.podReady, podLabels + [("condition", "false")], pod.ready ? 0 : 1))
        }
        return samples
    }

    /// Working set reported for a container whose image the scenario does not describe.
    static let unknownAppMemory: Int64 = 16 << 20
}
