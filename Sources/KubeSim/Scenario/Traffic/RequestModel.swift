import Foundation

/// What one request costs and answers at each hop, for one step of the story: the pods'
/// state (queueing from CPU utilisation, pool saturation, the chaos flag) fixed for the step,
/// each request then drawn with seeded jitter through Service → endpoint → app → its calls.
struct RequestModel {
    /// A hop's answer as the caller sees it. `reached` is false when no app answered at all
    /// (no endpoint, refused, no such host): the caller then answers 502 rather than 500.
    struct Answer: Equatable {
        var status: Int
        var latency: Double
        var reached: Bool
        var pod: String?
    }

    /// A pod's state during the step, derived from the load expected on it.
    struct PodState {
        var requestsPerSecond: Double = 0
        /// Per container, cores wanted and cores got.
        var cpuDemand: [Double] = []
        var cpuUsed: [Double] = []
        /// CPU utilisation of the serving container (demand / limit, 1 core without a limit).
        var utilisation: Double = 0
        var meanWait: Double = 0
        var chaosShare: Double = 0
        var rejectShare: Double = 0
        var pool: (active: Double, size: Int)?
    }

    /// Requests and durations by Service during the step, merged into the model's counters after.
    struct Tally {
        var statuses: [Int: Int] = [:]
        var histogram = LatencyHistogram()
    }

    /// Calls from the pods behind one Service to a host, as the client counts them.
    struct ClientKey: Hashable, Sendable {
        var namespace: String
        var service: String
        var target: String
    }

    /// Cores a running container uses doing nothing.
    static let idleCPU = 0.002
    /// How long a request waits for a pooled connection before it gives up.
    static let poolTimeout = 1.0
    /// Calls nested deeper than this are a loop; the request fails.
    static let maxDepth = 10

    let network: ServiceNetwork
    private(set) var pods: [PodState]
    private(set) var tallies: [Tally]
    /// Every attempt of every call by status, retries included: the clients' own counters.
    private(set) var clientCalls: [ClientKey: [Int: Int]] = [:]
    private var roundRobin: [[Int]]

    /// `rates`: requests per second entering at each Service port, to derive each pod's load.
    init(network: ServiceNetwork, entering rates: [(ServiceNetwork.Route, Double)], now: Date) {
        self.network = network
        pods = Array(repeating: PodState(), count: network.pods.count)
        tallies = Array(repeating: Tally(), count: network.services.count)
        roundRobin = network.services.map { Array(repeating: 0, count: $0.ports.count) }
        settle(rates, attempts: nil, now: now)
        // Retries come on top of the calls that fail: the load each adds, from the failure
        // shares without them, then the pods' state under that load (a pool fills sooner).
        if network.pods.contains(where: { $0.calls.contains { $0.retries > 0 } }) {
            settle(rates, attempts: network.services.indices.map { service in
                network.services[service].ports.indices.map { failureShare(service, port: $0) }
            }, now: now)
        }
    }

    /// Each pod's state under the rates entering, calls with retries multiplied by the attempts
    /// expected at the failure share of their Service port (`attempts` nil: no retries counted).
    private mutating func settle(_ rates: [(ServiceNetwork.Route, Double)], attempts failures: [[Double]]?, now: Date) {
        var expected = Array(repeating: 0.0, count: network.pods.count)
        for (route, rate) in rates {
            if case .service(let service, let port) = route {
                flow(service, port, rate: rate, depth: 0, failures: failures, into: &expected)
            }
        }
        for index in network.pods.indices { pods[index] = Self.state(of: network.pods[index], rate: expected[index], now: now) }
    }

    /// The share of attempts on a Service port that fail at the first hop: no endpoint, refused,
    /// or the pod's pool and chaos flag (its own calls' failures are not followed).
    private func failureShare(_ service: Int, port: Int) -> Double {
        let endpoints = network.services[service].ports[port].endpoints
        guard !endpoints.isEmpty else { return 1 }
        let shares = endpoints.map { endpoint -> Double in
            guard case .pod(let pod) = endpoint else { return 1 }
            return 1 - (1 - pods[pod].rejectShare) * (1 - pods[pod].chaosShare)
        }
        return shares.reduce(0, +) / Double(shares.count)
    }

    /// One request to a Service port, counted there.
    mutating func call(_ service: Int, port: Int, depth: Int, rng: inout SplitMix64) -> Answer {
        let endpoints = network.services[service].ports[port].endpoints
        var answer: Answer
        if endpoints.isEmpty {
            answer = Answer(status: 503, latency: 0.0005, reached: false)
        } else {
            let pick = roundRobin[service][port] % endpoints.count
            roundRobin[service][port] += 1
            switch endpoints[pick] {
            case .refused: answer = Answer(status: 502, latency: 0.0005, reached: false)
            case .pod(let pod): answer = serve(pod, depth: depth, rng: &rng)
            }
        }
        tallies[service].statuses[answer.status, default: 0] += 1
        tallies[service].histogram.record(answer.latency)
        return answer
    }

    /// A request as a route leads it: to a Service port, or failing to connect.
    mutating func send(_ route: ServiceNetwork.Route, depth: Int, rng: inout SplitMix64) -> Answer {
        switch route {
        case .service(let service, let port): return call(service, port: port, depth: depth, rng: &rng)
        case .unreachable: return Answer(status: 502, latency: 0.001, reached: false)
        }
    }

    /// The app in `pod` serving one request: a connection from the pool, its own work with
    /// queueing, the chaos flag, then its calls in order.
    private mutating func serve(_ pod: Int, depth: Int, rng: inout SplitMix64) -> Answer {
        let node = network.pods[pod]
        let state = pods[pod]
        guard let app = node.app else {
            return Answer(status: 200, latency: 0.001 * (0.5 + rng.unit()), reached: true, pod: node.name)
        }
        guard depth < Self.maxDepth else { return Answer(status: 500, latency: 0, reached: true, pod: node.name) }
        if state.rejectShare > 0, rng.unit() < state.rejectShare {
            return Answer(status: 503, latency: Self.poolTimeout * (0.95 + 0.1 * rng.unit()), reached: true, pod: node.name)
        }
        var latency = app.latency * (0.9 + rng.exponential(mean: 0.1)) + rng.exponential(mean: state.meanWait)
        if state.chaosShare > 0, rng.unit() < state.chaosShare {
            return Answer(status: 500, latency: latency, reached: true, pod: node.name)
        }
        for call in node.calls {
            let answer = attempt(call, from: node, depth: depth + 1, rng: &rng)
            latency += answer.latency
            if answer.status >= 500 {
                return Answer(status: answer.reached ? 500 : 502, latency: latency, reached: true, pod: node.name)
            }
        }
        return Answer(status: 200, latency: latency, reached: true, pod: node.name)
    }

    /// One call as the client makes it: each attempt counted at the client, one that fails or
    /// outlasts the policy's timeout retried after the backoff's wait, up to the retries its
    /// environment sets. The caller waits for all of it.
    private mutating func attempt(_ call: ServiceNetwork.CallNode, from node: ServiceNetwork.PodNode, depth: Int,
                                  rng: inout SplitMix64) -> Answer {
        let key = node.service.flatMap { call.target.isEmpty ? nil : ClientKey(namespace: node.namespace, service: $0, target: call.target) }
        var waited = 0.0
        var retry = 0
        while true {
            var answer = send(call.route, depth: depth, rng: &rng)
            if let timeout = call.policy?.timeout, answer.latency > timeout {
                answer = Answer(status: 504, latency: timeout, reached: answer.reached, pod: answer.pod)
            }
            if let key { clientCalls[key, default: [:]][answer.status, default: 0] += 1 }
            waited += answer.latency
            guard answer.status >= 500, retry < call.retries, let policy = call.policy else {
                answer.latency = waited
                return answer
            }
            retry += 1
            waited += policy.wait(before: retry)
        }
    }

    /// Expected requests per second on each pod: a Service port's rate split evenly over its
    /// ready endpoints, each pod passing its share on to every call it makes; a call with
    /// retries sends 1 + f + f² + … (to its count) attempts per request at failure share f.
    private func flow(_ service: Int, _ port: Int, rate: Double, depth: Int, failures: [[Double]]?,
                      into expected: inout [Double]) {
        let endpoints = network.services[service].ports[port].endpoints
        guard !endpoints.isEmpty, depth < Self.maxDepth else { return }
        let share = rate / Double(endpoints.count)
        for endpoint in endpoints {
            guard case .pod(let pod) = endpoint else { continue }
            expected[pod] += share
            for call in network.pods[pod].calls {
                guard case .service(let next, let nextPort) = call.route else { continue }
                let failure = failures?[next][nextPort] ?? 0
                let attempts = (0...call.retries).reduce(0.0) { sum, retry in sum + pow(failure, Double(retry)) }
                flow(next, nextPort, rate: share * attempts, depth: depth + 1, failures: failures, into: &expected)
            }
        }
    }

    private static func state(of pod: ServiceNetwork.PodNode, rate: Double, now: Date) -> PodState {
        var state = PodState(requestsPerSecond: rate)
        for (index, container) in pod.containers.enumerated() {
            let running = container.startedAt != nil
            var demand = running ? idleCPU : 0
            if index == pod.main { demand += rate * (container.app?.cpuPerRequest ?? 0) }
            let limit = container.cpuLimit ?? 1
            state.cpuDemand.append(demand)
            state.cpuUsed.append(min(demand, limit))
            if index == pod.main { state.utilisation = demand / limit }
        }
        let main = pod.containers[pod.main]
        guard let app = main.app else { return state }
        state.meanWait = waitingTime(latency: app.latency, utilisation: state.utilisation)
        if let chaos = app.chaos { state.chaosShare = chaosShare(main.env[chaos.env]) }
        if let pool = app.pool {
            let size = pool.sizeEnv.flatMap { main.env[$0] }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                .flatMap { $0 > 0 ? $0 : nil } ?? pool.size
            let minutes = main.startedAt.map { max(0, now.timeIntervalSince($0)) / 60 } ?? 0
            let leaked = min(Double(size), pool.leakPerMinute * minutes)
            let inFlight = rate * pool.hold
            let available = Double(size) - leaked
            if inFlight > available { state.rejectShare = available <= 0 ? 1 : 1 - available / inFlight }
            state.pool = (min(Double(size), leaked + inFlight), size)
        }
        return state
    }

    /// Mean time a request queues for the CPU: negligible at half load, growing steeply near
    /// saturation (M/M/1-like), and by seconds per unit of demand beyond the limit (throttling).
    static func waitingTime(latency: Double, utilisation: Double) -> Double {
        let busy = min(utilisation, 0.95)
        return latency * pow(busy, 4) / (1 - busy) + 3 * max(0, utilisation - 0.9)
    }

    /// The share of requests a chaos variable fails: `0.5`, `true`/`on`/`yes` (all), else none.
    static func chaosShare(_ value: String?) -> Double {
        guard let value = value?.trimmingCharacters(in: .whitespaces).lowercased(), !value.isEmpty else { return 0 }
        if ["true", "on", "yes"].contains(value) { return 1 }
        return min(1, max(0, Double(value) ?? 0))
    }
}
