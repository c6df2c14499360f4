import Foundation
import MedicHTTP
import MedicProcess
import Testing
@testable import KubeSim

/// The metrics as Prometheus reads them: the live `/metrics` exposition, and the history's
/// OpenMetrics file accepted by the real promtool for backfilling.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TrafficMetricsTests {
    static func chain() throws -> Scenario {
        var apps = TrafficModelTests.chain
        apps[0].cpuLimit = "250m"
        apps[2].env["CHAOS"] = "0.5"
        return try TrafficTestsFixture.scenario(history: "3m", load: TrafficModelTests.users, apps: apps)
    }

    /// `name{labels} value` lines of a text exposition, by series text.
    static func parse(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    @Test func metricsEndpointServesTheExposition() async throws {
        let (sim, _) = try TrafficTestsFixture.play(try Self.chain())
        let server = try await sim.start(ServerOptions(bearerToken: "s3cret"))
        defer { Task { await server.stop() } }
        let response = try await HTTPClient().send(HTTPRequest(url: server.baseURL + "/metrics", timeout: .seconds(10)))
        #expect(response.status == 200)
        #expect(response.headers.first { $0.key.lowercased() == "content-type" }?.value == "text/plain; version=0.0.4; charset=utf-8")
        let text = String(decoding: response.body, as: UTF8.self)
        for type in ["# TYPE http_requests_total counter", "# TYPE http_request_duration_seconds histogram",
                     "# TYPE container_cpu_usage_seconds_total counter", "# TYPE container_memory_working_set_bytes gauge",
                     "# TYPE kube_pod_container_status_restarts_total counter",
                     "# TYPE kube_pod_container_resource_limits gauge", "# TYPE kube_pod_status_ready gauge"] {
            #expect(text.contains(type + "\n"), "\(type)")
        }
        let values = Self.parse(text)
        let served = TrafficTestsFixture.requests(sim, "frontend")
        let ok = try #require(values["http_requests_total{namespace=\"shop\",service=\"frontend\",status=\"200\"}"])
        let failed = try #require(values["http_requests_total{namespace=\"shop\",service=\"frontend\",status=\"500\"}"])
        // The server ticks the story every second, so the live counters may be ahead of the read.
        #expect(ok + failed >= 3600 && ok + failed <= Double(served.values.reduce(0, +) + 100))
        #expect(values["http_request_duration_seconds_bucket{namespace=\"shop\",service=\"db\",le=\"+Inf\"}"]
            == values["http_request_duration_seconds_count{namespace=\"shop\",service=\"db\"}"])
        let pod = try #require(sim.objects(.pod, namespace: "shop").map(ClusterState.name).first { $0.hasPrefix("frontend-") })
        #expect(values["kube_pod_container_resource_limits{namespace=\"shop\",pod=\"\(pod)\",container=\"main\",resource=\"cpu\",unit=\"core\"}"] == 0.25)
        #expect(values["kube_pod_status_ready{namespace=\"shop\",pod=\"\(pod)\",condition=\"true\"}"] == 1)
        #expect(values["kube_pod_container_status_restarts_total{namespace=\"shop\",pod=\"\(pod)\",container=\"main\"}"] == 0)
        #expect(values["container_memory_working_set_bytes{namespace=\"shop\",pod=\"\(pod)\",container=\"main\"}"] == Double(32 << 20))
        // 20 rps × 1 ms + idle 2 m-cores, for the 180 s of history (and the live seconds since).
        let cpu = try #require(values["container_cpu_usage_seconds_total{namespace=\"shop\",pod=\"\(pod)\",container=\"main\"}"])
        #expect(cpu >= 0.022 * 180 - 1e-6 && cpu < 0.022 * 190)
    }

    /// A history played 30 s ahead ends then: /metrics has nothing to serve and the story
    /// stands still until the clock gets there, and the counters then go on from the
    /// history's last values, with no second spent twice or skipped.
    @Test func aHistoryPlayedAheadGoesLiveWhenTheClockCatchesUp() throws {
        let clock = TestClock(KubeletTests.start)
        let sim = KubeSim(clock: { clock.now })
        let history = try sim.play(try Self.chain(), liveAfter: 30)
        let pod = try #require(sim.objects(.pod, namespace: "shop").map(ClusterState.name).first { $0.hasPrefix("frontend-") })
        let cpu = "container_cpu_usage_seconds_total{namespace=\"shop\",pod=\"\(pod)\",container=\"main\"}"
        let end = KubeletTests.start.addingTimeInterval(30)
        // The 180 s of history end 30 s from now: 20 rps × 1 ms + idle 2 m-cores all along.
        // (The history's series carry job and instance labels too.)
        let last = try #require(history.split(separator: "\n").last { $0.hasPrefix(cpu.dropLast() + ",") }?.split(separator: " "))
        #expect(abs((Double(last[1]) ?? 0) - 0.022 * 180) < 1e-6)
        #expect(Double(last[2]) == end.timeIntervalSince1970)
        for _ in 0..<2 {
            clock.move(by: 10)
            sim.advance()
            #expect(sim.metricsText() == nil)
        }
        clock.move(by: 20)
        sim.advance()
        let live = try #require(sim.metricsText())
        #expect(abs((Self.parse(live)[cpu] ?? 0) - 0.022 * 190) < 1e-6)
    }

    @Test func historyIsAcceptedByPromtool() throws {
        let (_, history) = try TrafficTestsFixture.play(try Self.chain())
        #expect(history.hasSuffix("# EOF\n"))
        #expect(history.contains("# TYPE http_requests counter\n"))
        #expect(history.contains("http_requests_total{namespace=\"shop\",service=\"db\",status=\"500\",job=\"kubesim\",instance=\"kubesim\"} "))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("history.om")
        try Data(history.utf8).write(to: file)
        let outcome = ChildProcess.runBlocking(
            "/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", file.path, directory.appendingPathComponent("data").path],
            stderr: .standardOutput, timeout: .seconds(60))
        guard case .exited(let termination, let output) = outcome else {
            Issue.record("promtool: \(outcome)")
            return
        }
        #expect(termination == .exited(0), "\(String(decoding: output, as: UTF8.self))")
        let blocks = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("data").path)
        #expect(!blocks.isEmpty)
    }

    @Test func historySamplesEveryTenSecondsInTimeOrder() throws {
        let (_, history) = try TrafficTestsFixture.play(try Self.chain())
        let lines = history.split(separator: "\n").filter {
            $0.hasPrefix("http_requests_total{namespace=\"shop\",service=\"frontend\",status=\"200\"")
        }
        let times = lines.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        let values = lines.compactMap { $0.split(separator: " ").dropLast().last.flatMap { Double($0) } }
        // 19 sample sets over 3 minutes; the first, at the start, has no requests yet.
        #expect(times.count == 18)
        #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 10) < 0.01 })
        #expect(zip(values, values.dropFirst()).allSatisfy { $1 >= $0 })
    }
}

/// metrics.k8s.io from a played scenario: what `kubectl top` shows is the model's CPU of the
/// last tick and the working set `/metrics` exposes.
struct ResourceMetricsTests {
    @Test func podMetricsAreTheModelsUsage() throws {
        let (sim, _) = try TrafficTestsFixture.play(try TrafficMetricsTests.chain())
        let samples = TrafficTestsFixture.samples(sim)
        let list = try sim.state.withLock { state throws(APIError) in
            try ResourceMetricsAPI.list(.podMetrics, namespace: "shop", labels: .everything, name: nil, cluster: state)
        }
        let items = list["items"]?.array ?? []
        #expect(items.count == sim.objects(.pod, namespace: "shop").count)
        let frontend = try #require(items.first { ($0[path: ["metadata", "name"]]?.string ?? "").hasPrefix("frontend-") })
        let usage = try #require(frontend["containers"]?.array?.first?["usage"])
        let name = frontend[path: ["metadata", "name"]]?.string ?? ""
        let memory = try #require(TrafficTestsFixture.value(samples, "container_memory_working_set_bytes",
                                                            ["pod": name, "container": "main"]))
        #expect(usage["memory"] == .string("\(Int64(memory / 1024))Ki"))
        let nanocores = Int64(usage["cpu"]?.string?.dropLast() ?? "") ?? 0
        #expect(nanocores > 0, "the frontend serves 20 requests/s")
        #expect(nanocores <= 250_000_000, "its limit is 250m")
        let nodes = try sim.state.withLock { state throws(APIError) in
            try ResourceMetricsAPI.list(.nodeMetrics, namespace: nil, labels: .everything, name: "kube-sim", cluster: state)
        }
        #expect(nodes["kind"] == "NodeMetrics" && nodes[path: ["metadata", "name"]] == "kube-sim")
        #expect(Int64(nodes[path: ["usage", "cpu"]]?.string?.dropLast() ?? "") ?? 0 >= nanocores)
    }
}
