import Foundation
import Testing
@testable import KubeSim

/// Retries on a call: every attempt reaches the dependency and is counted by the client
/// (`http_client_requests_total`), the backoff's waits add to the caller's latency, a timeout
/// abandons a slow attempt, and the retries' load is part of the dependency's state.
@Suite(.timeLimit(.minutes(2)))
struct TrafficRetryTests {
    typealias App = TrafficTestsFixture.App

    /// 10 rps for 2 minutes on `api`, which calls `db` once per request with `retries`.
    static func play(retries: String?, dbEnv: [String: String] = [:], apiEnv: [String: String] = [:],
                     db: String = "listens: [5432]\nlatency: 1ms\nchaos: {env: CHAOS}") throws -> KubeSim {
        let call = retries.map { "{url: \"http://db/q\", retries: \($0)}" } ?? "{url: \"http://db/q\"}"
        let apps = [
            App(name: "api", env: apiEnv, behaviour: "listens: [8080]\nlatency: 1ms\ncalls: [\(call)]"),
            App(name: "db", port: 5432, env: dbEnv, behaviour: db),
        ]
        let load = "  - {name: users, url: \"http://api.shop/\", rate: 10}"
        return try TrafficTestsFixture.play(try TrafficTestsFixture.scenario(history: "2m", load: load, apps: apps)).0
    }

    static func clientCalls(_ sim: KubeSim, status: Int) -> Double {
        TrafficTestsFixture.value(TrafficTestsFixture.samples(sim), "http_client_requests_total",
                                  ["namespace": "shop", "service": "api", "target": "db", "status": String(status)]) ?? 0
    }

    static func total(_ counts: [Int: Int]) -> Int { counts.values.reduce(0, +) }

    @Test func withoutRetriesTheClientMakesOneCallPerRequest() throws {
        let sim = try Self.play(retries: nil, dbEnv: ["CHAOS": "0.5"])
        #expect(Self.total(TrafficTestsFixture.requests(sim, "api")) == 1200)
        #expect(Self.total(TrafficTestsFixture.requests(sim, "db")) == 1200)
        let failed = Double(TrafficTestsFixture.requests(sim, "db")[500] ?? 0)
        #expect(Self.clientCalls(sim, status: 200) + Self.clientCalls(sim, status: 500) == 1200)
        #expect(Self.clientCalls(sim, status: 500) == failed)
    }

    @Test func retriesWithoutBackoffMultiplyTheCallsOnAFailingDependency() throws {
        let sim = try Self.play(retries: "{count: 3, backoff: none}", dbEnv: ["CHAOS": "0.5"])
        let db = TrafficTestsFixture.requests(sim, "db")
        // 1 + ½ + ¼ + ⅛ attempts per request; only the requests whose four attempts all fail fail.
        let attempts = Double(Self.total(db)) / 1200
        #expect(abs(attempts - 1.875) < 0.06, "attempts per request: \(attempts)")
        #expect(Self.clientCalls(sim, status: 200) == Double(db[200] ?? 0))
        #expect(Self.clientCalls(sim, status: 500) == Double(db[500] ?? 0))
        let failed = Double(TrafficTestsFixture.requests(sim, "api")[500] ?? 0) / 1200
        #expect(abs(failed - 0.0625) < 0.025, "share of requests failed: \(failed)")
        // The dependency's state carries the retries' load too.
        let load = sim.state.withLock { $0.runtime?.traffic.podLoads ?? [:] }
        let dbPod = try #require(load.first { $0.key.hasPrefix("shop/db-") }?.value)
        #expect(abs(dbPod.requestsPerSecond - 18.75) < 0.01)
    }

    @Test("the backoff's waits add to the caller's latency, not to the attempts", arguments: [
        ("none", 0.0), ("fixed", 0.4), ("exponential", 0.6),
    ])
    func backoffWaits(_ backoff: String, _ waited: Double) throws {
        let sim = try Self.play(retries: "{count: 2, backoff: \(backoff), delay: 200ms}", dbEnv: ["CHAOS": "true"])
        #expect(TrafficTestsFixture.requests(sim, "db") == [500: 3600])
        #expect(Self.clientCalls(sim, status: 500) == 3600)
        #expect(TrafficTestsFixture.requests(sim, "api") == [500: 1200])
        let histogram = sim.state.withLock { $0.runtime?.traffic.durations[.init(namespace: "shop", service: "api")] }
        let mean = try #require(histogram.map { $0.sum / Double($0.count) })
        // Its own 1 ms and three 1 ms attempts, jittered, plus the waits.
        #expect(abs(mean - 0.004 - waited) < 0.003, "mean latency with backoff \(backoff): \(mean)")
    }

    @Test func anAttemptSlowerThanTheTimeoutIsAbandonedAndRetried() throws {
        let sim = try Self.play(retries: "{count: 2, timeout: 100ms}", db: "listens: [5432]\nlatency: 500ms")
        // The dependency did the work of every attempt; the client gave up on each.
        #expect(TrafficTestsFixture.requests(sim, "db") == [200: 3600])
        #expect(Self.clientCalls(sim, status: 504) == 3600)
        #expect(Self.clientCalls(sim, status: 200) == 0)
        #expect(TrafficTestsFixture.requests(sim, "api") == [500: 1200])
    }

    @Test func theContainersVariableSwitchesRetriesOn() throws {
        let retries = "{countEnv: RETRIES, backoff: none}"
        let off = try Self.play(retries: retries, dbEnv: ["CHAOS": "true"])
        #expect(Self.total(TrafficTestsFixture.requests(off, "db")) == 1200)
        let on = try Self.play(retries: retries, dbEnv: ["CHAOS": "true"], apiEnv: ["RETRIES": "4"])
        #expect(Self.total(TrafficTestsFixture.requests(on, "db")) == 6000)
        #expect(Self.clientCalls(on, status: 500) == 6000)
    }

    @Test func aHealthyDependencyIsCalledOnceWhateverTheRetries() throws {
        let sim = try Self.play(retries: "{count: 5, backoff: none}", dbEnv: ["CHAOS": "0"])
        #expect(TrafficTestsFixture.requests(sim, "db") == [200: 1200])
        #expect(Self.clientCalls(sim, status: 200) == 1200)
        #expect(TrafficTestsFixture.requests(sim, "api") == [200: 1200])
    }
}
