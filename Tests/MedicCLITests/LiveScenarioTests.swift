import Foundation
import MedicPolicy
import MedicRemediation
import Testing

/// End to end, as `make demo` runs it: KubeSim plays a scenario, a real Prometheus holds its
/// history and scrapes it live, `medic run --mode apply` fixes it, and the demo's own
/// measurements are checked. One demo run per scenario (1–3 minutes each).
@Suite("live scenarios, end to end (scripts/demo.sh)", .serialized)
struct LiveScenarioTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var scenario: String
        /// runbook → "Kind/namespace/name" → the action types the finding proposes.
        var findings: [String: [String: [String]]]
        /// Findings (by id) that must be root causes of their incidents; nil: every finding not
        /// listed in `symptoms`.
        var rootCauses: [String]?
        /// symptom finding id → the causes it is grouped under: medic sends none of its actions
        /// and records it as waiting for them.
        var symptoms: [String: [String]] = [:]
        /// RED symptom finding id (a Service's 5xx share or p95, read from metrics) → causes that
        /// must be among those it is grouped under. Other RED symptoms may come and go with the
        /// metric windows, but none may stand without a cause: every fault here is known.
        var red: [String: [String]] = [:]
        /// Seconds medic run gets to fix everything; a symptom's metric window may need more.
        var timeout = 180
        var testDescription: String { scenario }
    }

    static let scenarios: [Expectation] = [
        Expectation(scenario: "cloudmart", findings: [
            "selector-mismatch": ["Service/production/gateway": ["patch-selector"]],
            "probe-port": ["Deployment/production/api-service": ["patch-probe"]],
            "oom-killed": ["Deployment/production/auth-service": ["set-resources"]],
            "dangling-service-ref": ["Deployment/production/order-service": ["set-env"]],
            "missing-env": ["Deployment/production/database-service": ["rollout-undo"]],
            "chaos-flag": ["Deployment/production/database-service": ["set-env"]],
            "bad-image": ["Deployment/production/notification-service": ["set-image"]],
            // The eighth fault, for a human: order-service retries its failing database at once.
            "retry-storm": ["Deployment/production/order-service": ["notify"]],
        ], rootCauses: [
            "selector-mismatch/Service/production/gateway", "probe-port/Deployment/production/api-service",
            "oom-killed/Deployment/production/auth-service", "dangling-service-ref/Deployment/production/order-service",
            "missing-env/Deployment/production/database-service", "chaos-flag/Deployment/production/database-service",
            "bad-image/Deployment/production/notification-service",
        ], red: [
            // The shop's 503s, and the partners' order API failing along the order path.
            "error-rate-rise/Service/production/gateway": ["selector-mismatch/Service/production/gateway"],
            "error-rate-rise/Service/production/api-service": [
                "probe-port/Deployment/production/api-service", "oom-killed/Deployment/production/auth-service",
                "dangling-service-ref/Deployment/production/order-service",
            ],
        ], timeout: 300),
        Expectation(scenario: "pool-spike", findings: [
            "pool-exhaustion": ["Deployment/payments/checkout-service": ["set-env"]],
        ]),
        Expectation(scenario: "pool-leak", findings: [
            "pool-exhaustion": ["Deployment/inventory/stock-service": ["rollout-restart", "notify"]],
        ]),
        Expectation(scenario: "sock-shop", findings: [
            "overload": ["Deployment/sock-shop/front-end": ["scale"]],
        ]),
        Expectation(scenario: "target-port", findings: [
            "service-target-port": ["Service/social-network/user-service": ["patch-service-port"]],
        ]),
        Expectation(scenario: "node-selector", findings: [
            "unschedulable": ["Deployment/hotel/geo": ["rollout-undo"]],
        ]),
        Expectation(scenario: "bad-rollout", findings: [
            "start-error": ["Deployment/hotel/profile": ["rollout-undo"]],
        ]),
        Expectation(scenario: "slow-dependency", findings: [
            "overload": ["Deployment/bookshop/catalogue": ["scale"], "Deployment/bookshop/web": ["scale"]],
        ], symptoms: ["overload/Deployment/bookshop/web": ["overload/Deployment/bookshop/catalogue"]],
        // web's p95 is over 5 minutes: it clears by itself up to 5 minutes after catalogue is fixed.
        timeout: 420),
    ]

    /// Runbooks of the symptom layer: what users feel, read from metrics.
    static let redRunbooks: Set<String> = ["error-rate-rise", "latency-rise", "traffic-drop"]

    @Test("medic finds every fault, fixes it within the policy, and the system recovers", arguments: scenarios)
    func recovers(_ expected: Expectation) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let demo = try MedicBinary.run(
            ["--scenario", expected.scenario, "--timeout", "\(expected.timeout)", "--summary-json", summaryFile.path],
            in: MedicBinary.repository, timeout: TimeInterval(expected.timeout + 240),
            executable: MedicBinary.repository.appendingPathComponent("scripts/demo.sh"),
            environment: ["MEDIC_BUILD_DIR": MedicBinary.executable.deletingLastPathComponent().path])
        let transcript = "stdout:\n\(demo.stdout)\nstderr:\n\(demo.stderr.suffix(6000))"
        let data = try #require(FileManager.default.contents(atPath: summaryFile.path), "no summary; \(transcript)")
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        defer {
            if let audit = summary["auditLog"] as? String {
                try? FileManager.default.removeItem(at: URL(fileURLWithPath: audit).deletingLastPathComponent())
            }
        }

        // Every fault is found, on the right target, with the right action, and nothing else.
        var found: [String: [String: [String]]] = [:]
        let findings = summary["findings"] as? [[String: Any]] ?? []
        for finding in findings where !Self.redRunbooks.contains(finding["runbook"] as? String ?? "") {
            let target = finding["target"] as? [String: String] ?? [:]
            let key = "\(target["kind"] ?? "")/\(target["namespace"] ?? "")/\(target["name"] ?? "")"
            found[finding["runbook"] as? String ?? "", default: [:]][key] = finding["actions"] as? [String]
        }
        #expect(found == expected.findings, "\(transcript)")

        // Root causes lead their incidents; each symptom sits under the causes that explain it.
        let incidents = summary["incidents"] as? [[String: Any]] ?? []
        let roots = Set(incidents.flatMap { $0["rootCauses"] as? [String] ?? [] })
        let causedBy = Dictionary(findings.map {
            ($0["id"] as? String ?? "", $0["causedBy"] as? [String] ?? [])
        }, uniquingKeysWith: { a, _ in a })
        for finding in findings where Self.redRunbooks.contains(finding["runbook"] as? String ?? "") {
            let id = finding["id"] as? String ?? ""
            #expect(!(causedBy[id] ?? []).isEmpty, "\(id) is a symptom without a cause: \(incidents)")
        }
        for (symptom, causes) in expected.red {
            #expect(Set(causes).isSubset(of: causedBy[symptom] ?? []), "\(symptom): \(causedBy[symptom] ?? []); \(transcript)")
        }
        let rootCauses = expected.rootCauses ?? expected.findings.flatMap { runbook, targets in
            targets.keys.map { "\(runbook)/\($0)" }
        }.filter { expected.symptoms[$0] == nil }
        for id in rootCauses {
            #expect(roots.contains(id) && causedBy[id] == [], "\(id) is not a root cause: \(incidents)")
        }
        for (symptom, causes) in expected.symptoms {
            #expect(causedBy[symptom] == causes, "\(symptom): \(causedBy[symptom] ?? [])")
            #expect(incidents.contains { ($0["symptoms"] as? [String] ?? []).contains(symptom)
                && Set(causes).isSubset(of: $0["rootCauses"] as? [String] ?? []) }, "\(incidents)")
        }

        // It recovered, every action medic sent was verified, and each is one the policy allows.
        #expect(summary["recovered"] as? Bool == true, "\(transcript)")
        let policy = try PolicyLoader.loadFile(MedicBinary.repository.appendingPathComponent("policies/demo.yaml"))
        let actions = summary["actions"] as? [[String: Any]] ?? []
        #expect(!actions.isEmpty)
        for action in actions {
            let type = action["type"] as? String ?? ""
            let kind = try #require(ActionKind(rawValue: type), "unknown action type \(type)")
            #expect(policy.actions.rules[kind]?.permission == .allowed, "\(type) is not allowed by policies/demo.yaml")
            #expect(action["verified"] as? Bool == true, "\(action)")
            #expect((200..<300).contains(action["status"] as? Int ?? 0), "\(action)")
        }
        // Each action is a Remediation object beside its target, verified like the action.
        let objects = summary["remediations"] as? [[String: Any]] ?? []
        for action in actions {
            let id = action["id"] as? String ?? ""
            let object = objects.first { $0["name"] as? String == "medic-\(id)" }
            #expect(object?["phase"] as? String == "Verified", "Remediation medic-\(id): \(object ?? [:])")
            #expect((object?["records"] as? Int ?? 0) >= 4, "Remediation medic-\(id): \(object ?? [:])")
        }
        let sent = Set(actions.compactMap { action -> String? in
            guard let target = action["target"] as? [String: String], let type = action["type"] as? String else { return nil }
            return "\(type) \(target["kind"] ?? "")/\(target["namespace"] ?? "")/\(target["name"] ?? "")"
        })
        for (runbook, targets) in expected.findings {
            for (target, types) in targets {
                for type in types where type != "notify" {
                    if expected.symptoms["\(runbook)/\(target)"] == nil {
                        #expect(sent.contains("\(type) \(target)"), "no \(type) on \(target) was sent: \(sent.sorted())")
                    } else {
                        #expect(!sent.contains("\(type) \(target)"), "\(type) on \(target), a symptom, was sent")
                    }
                }
            }
        }

        // 20/20 requests through the entry Service succeed, p95 under 2 s.
        let requests = summary["requests"] as? [String: Any] ?? [:]
        #expect(requests["sent"] as? Int == 20)
        #expect(requests["succeeded"] as? Int == 20, "\(transcript)")
        #expect((requests["p95Seconds"] as? Double ?? 99) < 2, "\(requests)")
        #expect(demo.stdout.contains(expected.scenario == "cloudmart" ? "20/20 orders succeeded" : "20/20 requests succeeded"))

        // All pods Running and ready, none restarted in the last minute.
        let pods = summary["pods"] as? [[String: Any]] ?? []
        #expect(!pods.isEmpty)
        for pod in pods {
            #expect(pod["phase"] as? String == "Running" && pod["ready"] as? Bool == true
                && pod["restartedInLastMinute"] as? Bool == false, "\(pod)")
        }

        // The audit log is kept, named in the summary, and verifies.
        let audit = try #require(summary["auditLog"] as? String)
        #expect(demo.stdout.contains("audit log: \(audit)"))
        let verify = try MedicBinary.run(["audit", "verify", audit])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // Each symptom's finding is recorded as waiting for its causes.
        let records = ((try? String(contentsOfFile: audit, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        for (symptom, causes) in expected.symptoms.merging(expected.red, uniquingKeysWith: { a, _ in a }) {
            let waited = records.contains { record in
                let target = record["target"] as? [String: String] ?? [:]
                let payload = record["payload"] as? [String: Any] ?? [:]
                let evidence = payload["evidence"] as? [String] ?? []
                return record["type"] as? String == "finding"
                    && "\(payload["runbook"] as? String ?? "")/\(target["kind"] ?? "")/\(target["namespace"] ?? "")/\(target["name"] ?? "")" == symptom
                    && causes.allSatisfy { evidence.contains("waiting for the cause: \($0)") }
            }
            #expect(waited, "no finding record of \(symptom) waiting for \(causes) in \(audit)")
        }
        // The incident report is written beside it, with charts from the demo's Prometheus.
        let report = URL(fileURLWithPath: audit).deletingLastPathComponent().appendingPathComponent("report/report.html")
        #expect(demo.stdout.contains("incident report: \(report.path)"), "\(transcript)")
        let html = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
        #expect(html.contains("<svg"), "the report at \(report.path) has no chart")
        #expect(demo.status == 0, "\(transcript)")
    }

    /// A fault whose fix is a human's decision: a rollout refused by a ResourceQuota. medic
    /// reports it with the quota's figures, `medic run` records its advice and sends nothing,
    /// and the old pods keep every request succeeding.
    @Test("medic reports a quota-blocked rollout for a human and changes nothing")
    func advisesOnAQuota() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let summaryFile = scratch.appendingPathComponent("summary.json")
        let demo = try MedicBinary.run(
            ["--scenario", "quota", "--timeout", "30", "--summary-json", summaryFile.path],
            in: MedicBinary.repository, timeout: 300,
            executable: MedicBinary.repository.appendingPathComponent("scripts/demo.sh"),
            environment: ["MEDIC_BUILD_DIR": MedicBinary.executable.deletingLastPathComponent().path])
        let transcript = "stdout:\n\(demo.stdout)\nstderr:\n\(demo.stderr.suffix(6000))"
        let data = try #require(FileManager.default.contents(atPath: summaryFile.path), "no summary; \(transcript)")
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let audit = try #require(summary["auditLog"] as? String)
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: audit).deletingLastPathComponent()) }

        let findings = summary["findings"] as? [[String: Any]] ?? []
        #expect(findings.map { $0["runbook"] as? String } == ["quota-exceeded"], "\(transcript)")
        #expect(findings.first?["target"] as? [String: String]
            == ["kind": "Deployment", "namespace": "shop", "name": "search"], "\(transcript)")
        #expect(findings.first?["actions"] as? [String] == ["notify"])
        #expect(demo.stdout.contains("ResourceQuota compute-quota is exceeded"), "\(transcript)")
        // Nothing was sent; the advice is in the audit log; nothing stopped working.
        #expect((summary["actions"] as? [Any])?.isEmpty == true, "\(summary["actions"] ?? "")")
        let log = try String(contentsOfFile: audit, encoding: .utf8)
        #expect(log.contains("\"notify\""), "no notify decision in the audit log")
        let requests = summary["requests"] as? [String: Any] ?? [:]
        #expect(requests["succeeded"] as? Int == 20, "\(transcript)")
        #expect(summary["recovered"] as? Bool == false)
    }
}
