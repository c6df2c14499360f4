import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// The kubelet's statuses and Events as the real kubectl prints them.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct KubeletKubectlTests {
    static let scenario = KubeletTests.scenario(
        history: "10m", container: "{name: api, image: cloudmart/api:v1.0}", apps: KubeletTests.apiApp,
        registry: "[cloudmart/api:v1.0]", extraTimeline: """
          - after: 0s
            apply:
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web, namespace: shop}
              spec:
                selector: {matchLabels: {app: web}}
                template:
                  metadata: {labels: {app: web}}
                  spec: {containers: [{name: web, image: cloudmart/web:v9}]}
        """)

    @Test func getPodsAndDescribeShowWhatTheKubeletReported() async throws {
        let clock = TestClock(KubeletTests.start)
        let sim = KubeSim(clock: { clock.now })
        try sim.play(try ScenarioLoader.load(Self.scenario))
        let server = try await sim.start()
        do {
            let kubectl = try Kubectl(server: server)
            let table = try await kubectl.succeed("get", "pods", "-n", "shop", "--no-headers")
            let rows = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            let api = try #require(rows.first { $0[0].hasPrefix("api-") })
            let web = try #require(rows.first { $0[0].hasPrefix("web-") })
            #expect(Array(api[1...3]) == ["0/1", "CrashLoopBackOff", "6"])
            #expect(Array(web[1...3]) == ["0/1", "ImagePullBackOff", "0"])

            let describe = try await kubectl.succeed("describe", "pod", "-n", "shop", api[0])
            #expect(describe.contains("Back-off restarting failed container api in pod \(api[0])_shop("))
            #expect(describe.contains("Last State:     Terminated"))
            let logs = try await kubectl.succeed("logs", "-n", "shop", api[0], "--previous")
            #expect(logs == "FATAL: environment variable DATABASE_URL is not set\n")
            // --limit-bytes: the kubelet stops after that many bytes (medic bounds crash logs so).
            #expect(try await kubectl.succeed("logs", "-n", "shop", api[0], "--previous", "--limit-bytes=5") == "FATAL")
            let events = try await kubectl.succeed("get", "events", "-n", "shop", "--field-selector", "reason=Failed")
            #expect(events.contains("Failed to pull image \"cloudmart/web:v9\": rpc error: code = NotFound"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
