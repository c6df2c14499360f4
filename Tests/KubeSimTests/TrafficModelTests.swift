import Foundation
import Testing
@testable import KubeSim

/// The request model: routing through Services and Endpoints, the apps' calls, chaos, pools,
/// CPU queueing. Scenarios are played in simulated time, so ten minutes of load take a moment.
@Suite(.timeLimit(.minutes(2)))
struct TrafficModelTests {
    typealias App = TrafficTestsFixture.App

    static let chain = [
        App(name: "frontend", behaviour: "listens: [8080]\nlatency: 10ms\ncalls: [{url: \"http://api/items\"}]"),
        App(name: "api", env: ["DB_URL": "http://db.shop.svc.cluster.local:80"],
            behaviour: "listens: [8080]\nlatency: 20ms\ncalls: [{url: \"$(DB_URL)/query\"}]"),
        App(name: "db", port: 5432, env: ["CHAOS": "0"], behaviour: "listens: [5432]\nlatency: 5ms\nchaos: {env: CHAOS}"),
    ]

    static let users = "  - {name: users, url: \"http://frontend.shop/\", rate: 20}"

    @Test func healthyChainAnswersEveryRequest() throws {
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "10m", load: Self.users, apps: Self.chain))
        // 20 rps over 600 s, the first step (at the start) carrying no time.
        #expect(TrafficTestsFixture.requests(sim, "frontend") == [200: 12000])
        #expect(TrafficTestsFixture.requests(sim, "api") == [200: 12000])
        #expect(TrafficTestsFixture.requests(sim, "db") == [200: 12000])
        let load = sim.state.withLock { $0.runtime?.traffic.podLoads ?? [:] }
        let frontend = try #require(load.first { $0.key.hasPrefix("shop/frontend-") }?.value)
        #expect(frontend.requestsPerSecond == 20)
        #expect(abs(frontend.cpuDemand - (20 * 0.001 + RequestModel.idleCPU)) < 1e-9)
    }

    @Test func chaosAtTheLastHopFailsHalfTheRequestsAtTheEntry() throws {
        var apps = Self.chain
        apps[2].env["CHAOS"] = "0.5"
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "10m", load: Self.users, apps: apps))
        let entry = TrafficTestsFixture.requests(sim, "frontend")
        #expect(entry.keys.sorted() == [200, 500])
        #expect(entry.values.reduce(0, +) == 12000)
        let failed = Double(entry[500] ?? 0) / 12000
        #expect(abs(failed - 0.5) < 0.03)
        #expect(TrafficTestsFixture.requests(sim, "db")[500] == entry[500])
    }

    @Test func serviceWithoutEndpointsAnswers503AndMissingServiceFailsTheCaller() throws {
        let apps = [
            App(name: "frontend", behaviour: "listens: [8080]\ncalls: [{url: \"http://nowhere/x\"}]"),
            App(name: "api", selector: "mislabelled", behaviour: "listens: [8080]"),
        ]
        let load = Self.users + "\n  - {name: direct, url: \"http://api.shop/items\", rate: 5}"
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "2m", load: load, apps: apps))
        #expect(TrafficTestsFixture.requests(sim, "api") == [503: 600])
        #expect(TrafficTestsFixture.requests(sim, "frontend") == [502: 2400])
    }

    @Test func portTheAppDoesNotListenOnIsRefused() throws {
        let apps = [App(name: "frontend", behaviour: "listens: [9090]")]
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "1m", load: Self.users, apps: apps))
        #expect(TrafficTestsFixture.requests(sim, "frontend") == [502: 1200])
    }

    static let pooled = "listens: [8080]\nlatency: 20ms\npool: {sizeEnv: POOL_SIZE, size: 50, hold: 100ms, leakPerMinute: LEAK}"

    @Test func trafficSpikeExhaustsThePool() throws {
        let app = App(name: "orders", env: ["POOL_SIZE": "10"], behaviour: Self.pooled.replacingOccurrences(of: "LEAK", with: "0"))
        let load = "  - {name: users, url: \"http://orders.shop/\", rate: 40, changes: [{after: 5m, factor: 3}]}"
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "10m", load: load, apps: [app]))
        let counts = TrafficTestsFixture.requests(sim, "orders")
        // 5 min at 40 rps, all served (4 connections of 10), then 5 min at 120 rps wanting 12:
        // one in six waits for a connection in vain.
        #expect(counts.values.reduce(0, +) == 48000)
        #expect(abs(Double(counts[503] ?? 0) - 36000.0 / 6) < 400)
        let samples = TrafficTestsFixture.samples(sim)
        #expect(TrafficTestsFixture.value(samples, "db_connections_active", ["service": "orders"]) == 10)
        #expect(TrafficTestsFixture.value(samples, "db_connections_max", ["service": "orders"]) == 10)
    }

    @Test func poolBelowItsSizeIsHealthy() throws {
        let app = App(name: "orders", env: ["POOL_SIZE": "10"], behaviour: Self.pooled.replacingOccurrences(of: "LEAK", with: "0"))
        let load = "  - {name: users, url: \"http://orders.shop/\", rate: 40}"
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "5m", load: load, apps: [app]))
        #expect(TrafficTestsFixture.requests(sim, "orders") == [200: 12000])
        #expect(TrafficTestsFixture.value(TrafficTestsFixture.samples(sim), "db_connections_active", ["service": "orders"]) == 4)
    }

    @Test func leakAtFlatTrafficSaturatesThePoolAfterEnoughMinutes() throws {
        let app = App(name: "orders", behaviour: Self.pooled.replacingOccurrences(of: "LEAK", with: "2")
            .replacingOccurrences(of: "size: 50", with: "size: 20"))
        let load = "  - {name: users, url: \"http://orders.shop/\", rate: 10}"
        let early = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "5m", load: load, apps: [app])).0
        #expect(TrafficTestsFixture.requests(early, "orders") == [200: 3000])
        #expect(TrafficTestsFixture.value(TrafficTestsFixture.samples(early), "db_connections_active", [:]) == 11)
        let late = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "15m", load: load, apps: [app])).0
        let counts = TrafficTestsFixture.requests(late, "orders")
        // 20 connections leak in 10 minutes: from then on every request waits in vain.
        #expect((counts[503] ?? 0) > 3000)
        #expect(TrafficTestsFixture.value(TrafficTestsFixture.samples(late), "db_connections_active", [:]) == 20)
    }

    @Test func cpuSaturationRaisesTheP95() throws {
        func p95(rate: Int) throws -> Double {
            let app = App(name: "search", cpuLimit: "500m", behaviour: "listens: [8080]\nlatency: 20ms\ncpuPerRequest: 10m")
            let load = "  - {name: users, url: \"http://search.shop/\", rate: \(rate)}"
            let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "5m", load: load, apps: [app]))
            return TrafficTestsFixture.p95(sim, "search")
        }
        let relaxed = try p95(rate: 25)
        let saturated = try p95(rate: 75)
        // Within the bucket just above the 20 ms latency, as histogram_quantile reads it.
        #expect(relaxed > 0.025 && relaxed < 0.05, "p95 at half the CPU limit: \(relaxed)")
        #expect(saturated > 2 && saturated < 10, "p95 at 1.5× the CPU limit: \(saturated)")
    }

    @Test func urlHostsResolveAsClusterDNSDoes() throws {
        let (sim, _) = try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "1m", load: Self.users, apps: Self.chain))
        let network = sim.state.withLock { ServiceNetwork(cluster: $0, scenario: $0.runtime!.scenario) }
        let api = try #require(network.service(namespace: "shop", name: "api"))
        for host in ["http://api", "http://api.shop", "http://api.shop.svc.cluster.local", "http://api:80/x"] {
            #expect(network.resolve(host, from: "shop", env: [:]) == .service(api, port: 0), "\(host)")
        }
        #expect(network.resolve("http://api", from: "default", env: [:]) == .unreachable("lookup api: no such host"))
        #expect(network.resolve("http://api:81", from: "shop", env: [:]) == .unreachable("dial tcp api:81: connection refused"))
        #expect(network.resolve("$(URL)/x", from: "shop", env: [:])
            == .unreachable("an environment variable in $(URL)/x is not set"))
    }
}
