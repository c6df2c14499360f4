import Foundation
@testable import KubeSim
import MedicKube
import Testing

@Suite("scenario files")
struct ScenarioLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let minimal = """
        apiVersion: kubesim.medic.io/v1
        kind: Scenario
        metadata: {name: tiny}
        spec:
          history: 1h15m
          registry: [acme/web:1.0]
          load:
            - {url: "http://web.shop/", rate: 20, changes: [{after: 30m, factor: 3}]}
          apps:
            - image: acme/web
              listens: [8080]
              requiredEnv: [DB_NAME]
              memory: {idle: 40Mi, underLoad: 80Mi}
              cpuPerRequest: 5m
              latency: 250ms
              calls: [{url: "$(DB_URL)/q"}, {url: "http://cache", retries: {count: 3, backoff: exponential, delay: 50ms, timeout: 2s}}]
              pool: {sizeEnv: DB_POOL_SIZE, size: 10, hold: 250ms, leakPerMinute: 0.5}
              chaos: {env: CHAOS_FAILURE_RATE}
          timeline:
            - after: 0s
              apply:
                - {apiVersion: v1, kind: Namespace, metadata: {name: shop}}
        """

    @Test("every field is read, with defaults for what is left out")
    func readsEveryField() throws {
        let scenario = try ScenarioLoader.load(Self.minimal, source: "tiny.yaml")
        #expect(scenario.name == "tiny")
        #expect(scenario.history == 4500)
        #expect(scenario.registry == ["acme/web:1.0"])
        #expect(scenario.load == [Load(name: "http://web.shop/", url: "http://web.shop/", method: "GET", rate: 20,
                                      changes: [.init(after: 1800, factor: 3)])])
        #expect(scenario.load[0].rate(at: 1799) == 20)
        #expect(scenario.load[0].rate(at: 1800) == 60)
        let app = try #require(scenario.app(forImage: "acme/web:2.0"))
        #expect(app.listens == [8080])
        #expect(app.requiredEnv == ["DB_NAME"])
        #expect(app.memoryIdle == 40 << 20 && app.memoryUnderLoad == 80 << 20)
        #expect(app.cpuPerRequest == 0.005)
        #expect(app.latency == 0.25)
        #expect(app.calls == [.init(url: "$(DB_URL)/q"),
                              .init(url: "http://cache", retries: .init(count: 3, countEnv: nil, backoff: .exponential, delay: 0.05, timeout: 2))])
        #expect(app.pool == .init(sizeEnv: "DB_POOL_SIZE", size: 10, hold: 0.25, leakPerMinute: 0.5))
        #expect(app.chaos == .init(env: "CHAOS_FAILURE_RATE"))
        #expect(app.crashLog == "FATAL: environment variable $(NAME) is not set")
        #expect(app.startup == 2)
        #expect(scenario.timeline.count == 1)
        #expect(scenario.app(forImage: "acme/other:1.0") == nil)
    }

    @Test("a mistake names the file, the field and what was expected", arguments: [
        ("kind: Scenario", "kind: Scenaro", "tiny.yaml: kind: expected Scenario"),
        ("      latency: 250ms", "      latncy: 250ms",
         "tiny.yaml: spec.apps[0].latncy: unknown field (allowed: binaries, calls, chaos, cpuPerRequest, crashLog, exit, image, latency, listens, memory, paths, pool, requiredEnv, startup)"),
        ("memory: {idle: 40Mi, underLoad: 80Mi}", "memory: {idle: 40Mi, underLoad: lots}",
         "tiny.yaml: spec.apps[0].memory.underLoad: expected a memory quantity such as 80Mi"),
        ("history: 1h15m", "history: 75 minutes", "tiny.yaml: spec.history: expected a duration such as 250ms, 30s, 1h15m"),
        ("registry: [acme/web:1.0]", "registry: [acme/web]",
         "tiny.yaml: spec.registry[0]: name the tag too (acme/web:1.0): the registry holds tags, not repositories"),
        ("- image: acme/web", "- image: acme/web:1.0",
         "tiny.yaml: spec.apps[0].image: name the repository without a tag (acme/web): every tag runs the same app"),
        ("backoff: exponential", "backoff: linear",
         "tiny.yaml: spec.apps[0].calls[1].retries.backoff: expected one of none, fixed, exponential"),
        ("count: 3, backoff", "count: -1, backoff",
         "tiny.yaml: spec.apps[0].calls[1].retries.count: expected a whole number of retries, 0…100"),
        ("count: 3, backoff", "backoff",
         "tiny.yaml: spec.apps[0].calls[1].retries.count: expected a number of retries (or countEnv, the variable that sets it)"),
        ("timeout: 2s}", "timeout: 0s}",
         "tiny.yaml: spec.apps[0].calls[1].retries.timeout: expected a duration above 0 (leave it out to wait)"),
        ("delay: 50ms", "jitter: 50ms",
         "tiny.yaml: spec.apps[0].calls[1].retries.jitter: unknown field (allowed: backoff, count, countEnv, delay, timeout)"),
        ("rate: 20", "rate: 0", "tiny.yaml: spec.load[0].rate: expected requests per second above 0"),
        ("- after: 0s", "- after: 2h", "tiny.yaml: spec.timeline[0].after: is after spec.history (1h15m0s): the story must be told before KubeSim serves"),
        ("kind: Namespace", "kind: Gadget", "tiny.yaml: spec.timeline[0].apply[0]: kind Gadget is not one KubeSim serves"),
    ])
    func namesTheMistake(_ original: String, _ replacement: String, _ message: String) {
        let text = Self.minimal.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.minimal)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(text, source: "tiny.yaml") }
        do {
            _ = try ScenarioLoader.load(text, source: "tiny.yaml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the shipped scenarios load", arguments: ["cloudmart", "pool-spike", "pool-leak", "sock-shop"])
    func shippedScenariosLoad(_ name: String) throws {
        let path = Self.repository.appendingPathComponent("docs/examples/\(name)/scenario.yaml").path
        let scenario = try ScenarioLoader.load(file: path)
        #expect(scenario.name == name)
        #expect(!scenario.load.isEmpty && !scenario.apps.isEmpty && !scenario.timeline.isEmpty)
    }

    @Test("a timeline step that the API server refuses stops the play, naming the step")
    func refusedTimelineStep() throws {
        let text = Self.minimal.replacingOccurrences(
            of: "- {apiVersion: v1, kind: Namespace, metadata: {name: shop}}",
            with: "- {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: {replicas: -1}}")
        let scenario = try ScenarioLoader.load(text, source: "tiny.yaml")
        do {
            try KubeSim().play(scenario, source: "tiny.yaml")
            Issue.record("play accepted a Deployment with replicas -1")
        } catch {
            #expect(error.description.hasPrefix("tiny.yaml: spec.timeline[0].apply[0]: 422"), "\(error.description)")
        }
    }

    @Test("Go durations", arguments: [("250ms", 0.25), ("1h15m", 4500.0), ("1.5s", 1.5), ("0", 0.0), ("90m", 5400.0)])
    func goDurations(_ text: String, _ seconds: Double) {
        #expect(GoDuration.seconds(text) == seconds)
    }
}
