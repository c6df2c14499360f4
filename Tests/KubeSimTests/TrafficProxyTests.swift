import Foundation
import MedicHTTP
import Testing
@testable import KubeSim

/// The apiserver's service proxy, through the traffic model: real kubectl `get --raw` and a
/// POST, the apiserver's errors for a Service without endpoints and an unknown one.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TrafficProxyTests {
    @Test func kubectlGetRawThroughTheProxy() async throws {
        var apps = TrafficModelTests.chain
        apps.append(.init(name: "ghost", selector: "nobody", behaviour: "listens: [8080]"))
        let (sim, _) = try TrafficTestsFixture.play(
            try TrafficTestsFixture.scenario(history: "1m", load: TrafficModelTests.users, apps: apps))
        let server = try await sim.start()
        defer { Task { await server.stop() } }
        let kubectl = try Kubectl(server: server)
        let before = TrafficTestsFixture.requests(sim, "frontend")[200] ?? 0

        let body = try await kubectl.succeed("get", "--raw", "/api/v1/namespaces/shop/services/frontend:80/proxy/healthz")
        let answer = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        #expect(answer?["status"] as? Int == 200)
        #expect(answer?["path"] as? String == "/healthz")
        #expect((answer?["pod"] as? String)?.hasPrefix("frontend-") == true)
        #expect((TrafficTestsFixture.requests(sim, "frontend")[200] ?? 0) > before)

        let ghost = try await kubectl.run("get", "--raw", "/api/v1/namespaces/shop/services/ghost/proxy/")
        #expect(ghost.status != 0)
        #expect(ghost.stderr.contains("Error from server (ServiceUnavailable): no endpoints available for service \"ghost\""))
        let unknown = try await kubectl.run("get", "--raw", "/api/v1/namespaces/shop/services/nope/proxy/")
        #expect(unknown.stderr.contains("Error from server (NotFound): services \"nope\" not found"))
    }

    @Test func postIsAnsweredWithTheModelledStatus() async throws {
        var apps = TrafficModelTests.chain
        apps[2].env["CHAOS"] = "true"
        let (sim, _) = try TrafficTestsFixture.play(
            try TrafficTestsFixture.scenario(history: "1m", load: TrafficModelTests.users, apps: apps))
        let server = try await sim.start()
        defer { Task { await server.stop() } }
        let request = HTTPRequest(method: "POST", url: server.baseURL + "/api/v1/namespaces/shop/services/http:api:80/proxy/orders",
                                  body: Data("{}".utf8), timeout: .seconds(10))
        let response: HTTPResponse
        do {
            response = try await HTTPClient().send(request)
        } catch {
            response = try #require(error.response)
        }
        #expect(response.status == 500)
        let answer = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        #expect(answer?["method"] as? String == "POST")
        #expect(answer?["error"] as? String == "Internal Server Error")
    }

    @Test func proxyTargetSegment() {
        #expect(ServiceProxyTarget("web").name == "web" && ServiceProxyTarget("web").port == nil)
        #expect(ServiceProxyTarget("web:8080").name == "web" && ServiceProxyTarget("web:8080").port == "8080")
        #expect(ServiceProxyTarget("https:web:metrics").name == "web" && ServiceProxyTarget("https:web:metrics").port == "metrics")
    }
}
