import Foundation
import Testing

/// `medic run --once` posting what it found to Slack, PagerDuty and a JSON webhook, played by
/// `scripts/notification-receiver.py`, which checks each body against the service's format.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct NotificationRunTests {
    static let routingKey = "PDKEY0123456789abcdefABCDEF01234"
    static let hookToken = "relay-t0ken-not-for-logs"

    @Test func onceTellsEachTargetAboutEachRootCauseAndNoSecretLeaks() async throws {
        try await RunCommandTests.withKubeSim { kubeconfig, scratch in
            let portFile = scratch.appendingPathComponent("receiver.port").path
            let record = scratch.appendingPathComponent("received.json").path
            let receiver = try RunCommandTests.Running(URL(fileURLWithPath: "/usr/bin/env"), [
                "python3", MedicBinary.repository.appendingPathComponent("scripts/notification-receiver.py").path,
                "--port-file", portFile, "--record", record, "--token", Self.hookToken, "--exit-after", "90",
            ], scratch: scratch, name: "receiver")
            defer { receiver.stop() }
            #expect(await RunCommandTests.eventually(within: .seconds(10)) { FileManager.default.fileExists(atPath: portFile) })
            let port = try String(contentsOfFile: portFile, encoding: .utf8)
            let policy = scratch.appendingPathComponent("policy.yaml")
            try """
                apiVersion: medic.io/v1
                kind: Policy
                metadata: {name: notify}
                spec:
                  mode: advise
                  notifications:
                    - name: oncall-slack
                      slack: {url: "http://127.0.0.1:\(port)/slack"}
                    - name: pager
                      pagerduty: {routingKey: {env: MEDIC_PD_KEY}, url: "http://127.0.0.1:\(port)/pagerduty/v2/enqueue"}
                      severities: [critical]
                    - name: relay
                      webhook: {url: "http://127.0.0.1:\(port)/webhook", bearerToken: {env: MEDIC_RELAY_TOKEN}}
                      events: [finding]
                """.write(to: policy, atomically: true, encoding: .utf8)
            let result = try MedicBinary.run([
                "run", "--once", "--kubeconfig", kubeconfig, "--policy", policy.path,
                "--audit-log", scratch.appendingPathComponent("audit.jsonl").path,
            ], timeout: 90, environment: ["MEDIC_PD_KEY": Self.routingKey, "MEDIC_RELAY_TOKEN": Self.hookToken])

            let lines = result.stderr.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            let findings = lines.filter { $0["message"] as? String == "finding" }
            #expect(!findings.isEmpty)
            let received = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [[String: Any]])
            for request in received {
                #expect((request["problems"] as? [String] ?? ["?"]).isEmpty, "\(request["path"] ?? ""): \(request["problems"] ?? "")")
            }
            let slack = received.filter { $0["path"] as? String == "/slack" }
            let pager = received.filter { $0["path"] as? String == "/pagerduty/v2/enqueue" }
            let relay = received.filter { $0["path"] as? String == "/webhook" }
            // One message per incident: a symptom is told inside its root cause's message.
            #expect(slack.count >= 1 && slack.count <= findings.count)
            #expect(relay.count == slack.count)
            #expect(!pager.isEmpty && pager.count < slack.count, "only critical incidents page")
            #expect(pager.allSatisfy { ($0["body"] as? [String: Any])?["event_action"] as? String == "trigger" })
            #expect(relay.allSatisfy { ($0["headers"] as? [String: String])?["authorization"] == "Bearer \(Self.hookToken)" })
            let delivered = lines.filter { $0["message"] as? String == "notification delivered" }
            #expect(delivered.count == slack.count + pager.count + relay.count)
            // Credentials reach only the receivers that need them, never the log.
            #expect(!result.stderr.contains(Self.routingKey) && !result.stderr.contains(Self.hookToken))
            #expect(lines.contains { $0["message"] as? String == "reconciler configured"
                && ($0["notifications"] as? [String]) == ["oncall-slack (slack)", "pager (pagerduty)", "relay (webhook)"] })
        }
    }
}
