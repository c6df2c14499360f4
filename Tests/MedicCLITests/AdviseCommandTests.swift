import Foundation
import Testing

/// `medic advise` run as a process: exit codes, the text a human reads, the JSON contract,
/// and input errors, on the CloudMart incident snapshot.
@Suite struct AdviseCommandTests {
    let snapshot = MedicBinary.incident.appendingPathComponent("snapshot.json").path

    @Test func textLeadsWithTheCauseThenEvidenceThenCommand() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant])
        #expect(result.status == 1, "findings exit 1")
        let text = result.stdout
        #expect(text.hasPrefix("5 problems found among 7 workloads and 7 services"))
        let oom = try #require(text.range(of: "auth in auth-service was OOMKilled 5× recently (memory limit 64Mi)"))
        let evidence = try #require(text.range(of: "exit code 137", range: oom.upperBound..<text.endIndex))
        let fix = try #require(text.range(of: "kubectl -n production set resources deployment/auth-service -c auth --limits=memory=128Mi",
                                          range: evidence.upperBound..<text.endIndex))
        #expect(fix.lowerBound > evidence.upperBound)
        #expect(text.contains("kubectl -n production set env deployment/database-service -c database CHAOS_FAILURE_RATE=0"))
        #expect(text.contains("kubectl -n production set image deployment/notification-service notification=cloudmart/notification-service:v1.9.3"))
        #expect(text.contains(#"kubectl -n production patch service gateway --type=merge -p '{"spec":{"selector":{"app":"gateway"}}}'"#))
        #expect(text.contains("Not decided (a condition is unknown, and medic does not act on missing data):"))
        #expect(text.contains("pool-exhaustion: pool-saturated: no Prometheus to ask (use --prometheus URL)"))
    }

    /// A container can write escape sequences into what the cluster reports about it; the
    /// terminal of the person reading medic shows them, it does not obey them.
    @Test func controlCharactersFromTheClusterAreEscaped() throws {
        var list = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: snapshot))) as? [String: Any])
        var items = try #require(list["items"] as? [[String: Any]])
        let index = try #require(items.firstIndex {
            $0["kind"] as? String == "Event" && ($0["message"] as? String)?.contains("notification-service:v2.0\": not found") == true
                || $0["kind"] as? String == "Event" && ($0["message"] as? String)?.hasSuffix("notification-service:v2.0: not found") == true
        })
        items[index]["message"] = (items[index]["message"] as? String ?? "") + " \u{1B}[2J\u{1B}]0;owned\u{07}"
        list["items"] = items
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("medic-escape-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: list).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try MedicBinary.run(["advise", "--snapshot", file.path, "--at", MedicBinary.instant])
        #expect(result.status == 1)
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(result.stdout.contains(#"not found \x1b[2J\x1b]0;owned\x07"#))
    }

    @Test func jsonFollowsTheContract() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant, "--output", "json"])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.count == 5)
        let oom = try #require(findings.first { $0["runbook"] as? String == "oom-killed" })
        // OOMKilled is high on its own; auth-service's Service has no ready endpoint, and that
        // impact makes it critical.
        #expect(oom["severity"] as? String == "critical")
        #expect((oom["evidence"] as? [String])?.contains("impact: Service auth-service has no ready endpoints: none of its 1 pods is ready") == true)
        #expect(oom["target"] as? [String: String] == ["kind": "Deployment", "namespace": "production", "name": "auth-service"])
        #expect((oom["summary"] as? String)?.isEmpty == false)
        #expect((oom["evidence"] as? [String])?.isEmpty == false)
        let actions = try #require(oom["actions"] as? [[String: Any]])
        #expect(actions.count == 1)
        #expect(actions[0]["type"] as? String == "set-resources")
        #expect(actions[0]["command"] as? String
            == "kubectl -n production set resources deployment/auth-service -c auth --limits=memory=128Mi")
        #expect(actions[0]["decision"] as? String == "proposed")
        let unknown = try #require(document["unknown"] as? [[String: Any]])
        #expect(unknown.contains { $0["runbook"] as? String == "pool-exhaustion" })
    }

    @Test func namespaceFilter() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant,
                                          "--namespace", "kube-system"])
        #expect(result.status == 0, "no findings exit 0")
        #expect(result.stdout.hasPrefix("No problems found"))
    }

    @Test func unixSecondsAreAnInstantToo() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", "1795143600", "--output", "json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"oom-killed\""))
    }

    @Test func runbooksAreFoundFromAnotherDirectory() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant],
                                         in: FileManager.default.temporaryDirectory)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("5 problems found"))
    }

    @Test func missingSnapshotIsAnInputError() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", "/nonexistent/incident.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/incident.json"))
        #expect(result.stdout.isEmpty)
    }

    @Test func brokenSnapshotNamesTheItemAndField() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.json")
        try #"{"kind":"List","items":[{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-1","namespace":"prod"},"spec":{"containers":[{"name":"web","ports":[{"containerPort":"http"}]}]}}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try MedicBinary.run(["advise", "--snapshot", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("items[0] (Pod prod/web-1)"))
        #expect(result.stderr.contains("spec.containers[0].ports[0].containerPort"))
    }

    @Test func brokenRunbookIsAnInputErrorWithItsPosition() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: broken, severity: high, title: Broken}
        target: workload
        detect:
          - id: x
            cel: workload.replicas >
        summary: x
        remediate:
          - actions: [{action: notify, message: x}]
        """.write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--runbooks", directory.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.yaml:7:"))
        #expect(result.stderr.contains("detect[0].cel"))
    }

    @Test func badFlagValuesAreUsageErrors() throws {
        let badTime = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", "yesterday"])
        #expect(badTime.status == 2)
        #expect(badTime.stderr.contains("--at 'yesterday' is neither an RFC 3339 time"))
        let badOutput = try MedicBinary.run(["advise", "--snapshot", snapshot, "--output", "yaml"])
        #expect(badOutput.status == 2)
        let missing = try MedicBinary.run(["advise"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--snapshot"))
    }

    @Test func helpTeachesTheExitCodes() throws {
        let result = try MedicBinary.run(["advise", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Exit codes: 0 no findings, 1 findings, 2 usage or input error."))
        #expect(result.stdout.contains("--prometheus"))
    }

    @Test func unreachablePrometheusLeavesMetricRunbooksUndecided() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant,
                                          "--prometheus", "http://127.0.0.1:1", "--query-timeout", "2"])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("pool-exhaustion  "))
        #expect(result.stdout.contains("pool-exhaustion: pool-saturated:"))
        #expect(!result.stdout.contains("rollout restart deployment/order-service"))
    }
}
