import Foundation
import Testing

/// What an author gets wrong and medic now points at: fields through `let` values, macro
/// variables and indexed elements; keys of inline test objects medic does not read; templates
/// that fail while a finding is built; a misspelt runbook id. And what `explain` shows: the
/// values each condition read, and a count that reads as English.
@Suite struct AuthoringProblemsTests {
    static let repository = MedicBinary.repository

    struct Scratch {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medic-problems-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("tests"), withIntermediateDirectories: true)
        }

        func write(_ text: String, to name: String) throws -> String {
            let url = root.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func runbook(name: String, detect: String, lets: String = "", summary: String) -> String {
        """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: \(name), severity: high, title: The title of \(name)}
        target: workload
        each: c in workload.containers
        detect:
          - id: restarted
            cel: \(detect)
        \(lets)
        summary: "\(summary)"
        remediate:
          - actions: [{action: notify, message: look}]
        """
    }

    @Test func lintFollowsLetValuesMacroVariablesAndIndexedElements() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.write(Self.runbook(
            name: "deep-fields",
            detect: "c.restartCount >= 1 && workload.containers.exists(x, x.lastTerminaton.reason == 'OOMKilled')",
            lets: "let:\n  probe: c.probes.filter(p, p.refused)[0]\n  first: workload.containers[0]",
            summary: "{{ probe.pot }} {{ first.nme }} {{ c.probes[0].kind }}"), to: "deep-fields.yaml")
        let result = try MedicBinary.run(["lint", scratch.root.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("error: detect[0].cel: the enriched view has no workload.containers[].lastTerminaton.reason: "
            + "workload.containers[] (container) has no field 'lastTerminaton' (did you mean 'lastTermination'?)"), "\(result.stdout)")
        #expect(result.stdout.contains("error: summary: the enriched view has no probe.pot: probe (probe) "
            + "has no field 'pot' (did you mean 'port'?)"), "\(result.stdout)")
        #expect(result.stdout.contains("error: summary: the enriched view has no first.nme:"))
        #expect(!result.stdout.contains("c.probes[].kind"))
    }

    @Test func lintFlagsMisspeltKeysOfInlineObjects() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.write(Self.runbook(name: "restarts", detect: "c.restartCount >= 1", summary: "{{ c.name }}"),
                              to: "restarts.yaml")
        _ = try scratch.write("""
            runbooks: [../restarts.yaml]
            eval_time: 2026-11-20T03:00:00Z
            tests:
              - name: a typo and a field medic has no use for
                objects:
                  - kind: Deployment
                    metadata: {name: web}
                    spec:
                      replica: 2
                      template:
                        metadata: {labels: {app: web}}
                        spec: {dnsPolicy: ClusterFirst, containers: [{name: web, image: web:1}]}
                expect_no_findings: true
            """, to: "tests/restarts.yaml")
        let result = try MedicBinary.run(["lint", scratch.root.path])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("tests/restarts.yaml:9:11: error: tests[0].objects[0] (Deployment web): "
            + "medic does not read spec.replica (did you mean 'replicas'?)"), "\(result.stdout)")
        // A real Kubernetes field medic has no use for is not a mistake.
        #expect(!result.stdout.contains("dnsPolicy"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("1 runbook: 1 error, 0 warnings\n"), "\(result.stdout)")
    }

    @Test func aTemplateThatFailsIsShownByTestAndExplain() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let runbook = try scratch.write(Self.runbook(name: "broken-summary", detect: "c.restartCount >= 1",
                                                     summary: "{{ c.name }} restarted {{ c.nosuch.field }} times"),
                                        to: "broken-summary.yaml")
        let tests = try scratch.write("""
            runbooks: [../broken-summary.yaml]
            eval_time: 2026-11-20T03:00:00Z
            tests:
              - name: the title is no summary
                objects: [{snapshot: \(MedicBinary.fixtures.path)/oom-recent.json}]
                expect_findings:
                  - target: Deployment production/cart
            """, to: "tests/broken-summary.yaml")
        let test = try MedicBinary.run(["test", tests])
        #expect(test.status == 1, "\(test.stdout)")
        #expect(test.stdout.contains("rule problem in broken-summary on Deployment production/cart: summary: "), "\(test.stdout)")
        #expect(test.stdout.contains("(the title was shown instead)"))
        let explain = try MedicBinary.run(["explain", runbook, "--snapshot", "\(MedicBinary.fixtures.path)/oom-recent.json",
                                           "--at", MedicBinary.instant])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("    => The title of broken-summary"))
        #expect(explain.stdout.contains("    RULE PROBLEM summary: "), "\(explain.stdout)")
    }

    @Test func explainShowsTheValuesEachConditionRead() throws {
        let result = try MedicBinary.run(["explain", "oom-killed", "--snapshot",
                                          "\(MedicBinary.fixtures.path)/oom-stale.json", "--at", MedicBinary.instant])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("    fails   recently-oom-killed\n"), "\(result.stdout)")
        #expect(result.stdout.contains("              c.lastTermination.reason = \"OOMKilled\"\n"))
        #expect(result.stdout.contains("              c.restartCount = "))
        #expect(result.stdout.contains("              c.lastTermination.finishedAt = 2026-11-1"))
        #expect(!result.stdout.contains("0 finding"))
        #expect(result.stdout.hasSuffix("1 target: 1 no match\n"))
    }

    @Test func aMisspeltRunbookIdGetsADidYouMean() throws {
        let result = try MedicBinary.run(["explain", "oom-kiled", "--snapshot", "\(MedicBinary.fixtures.path)/oom-stale.json"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("medic: no runbook 'oom-kiled'. Did you mean 'oom-killed'? Runbooks: "), "\(result.stderr)")
    }
}
