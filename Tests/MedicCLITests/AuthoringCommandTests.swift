import Foundation
import Testing

/// The authoring commands as a runbook author uses them: `medic test`, `medic lint`, `medic explain`.
@Suite struct AuthoringCommandTests {
    static let repository = MedicBinary.repository

    @Test func everyBuiltInRunbookTestPasses() throws {
        let result = try MedicBinary.run(["test", "runbooks/tests"], in: Self.repository)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.range(of: #"^[0-9]+ passed, 0 failed$"#, options: .regularExpression) != nil, "\(last)")
    }

    @Test func metricRunbooksPassAgainstTheRealPrometheus() throws {
        let result = try MedicBinary.run(["test", "--prometheus", "--run", "real PromQL", "runbooks/tests"],
                                         in: Self.repository, timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Tests over raw series: pool-exhaustion's leak and its spike with 20 minutes of
        // history, chaos-flag, overload, the error and latency rises of the RED runbooks (and errors
        // that began 55 minutes ago, still a rise from the floor of the hour before), and
        // retry-storm's storm, the storm after traffic stopped, the storm before a switch to a
        // name no Service has, and a failing database without retries; traffic-drop's drop 55
        // minutes old and its steady rate.
        #expect(result.stdout.hasSuffix("13 passed, 0 failed\n"))
    }

    @Test func aFailureShowsExpectedGotAndConditionsAndWritesJUnit() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-authoring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("wrong.yaml")
        try """
            runbooks: [\(Self.repository.path)/runbooks/oom-killed.yaml]
            eval_time: 2026-11-20T03:00:00Z
            tests:
              - name: wrong limit
                objects: [{snapshot: \(MedicBinary.fixtures.path)/oom-recent.json}]
                expect_findings:
                  - target: Deployment production/cart
                    severity: critical
                    actions: [{type: set-resources, command_contains: memory=512Mi}]
              - name: not run
                objects: [{snapshot: \(MedicBinary.fixtures.path)/oom-stale.json}]
                expect_no_findings: true
            """.write(to: file, atomically: true, encoding: .utf8)
        let junit = scratch.appendingPathComponent("junit.xml")
        let result = try MedicBinary.run(["test", "--run", "^wrong", "--junit", junit.path, file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED \(file.path):4: wrong limit"))
        #expect(result.stdout.contains("      severity: expected critical, got high"))
        #expect(result.stdout.contains(#"actions[0].command: expected to contain "memory=512Mi", got "kubectl -n production set resources deployment/cart -c cart --limits=memory=256Mi""#))
        #expect(result.stdout.contains("oom-killed on Deployment production/cart [c=cart]: finding"))
        #expect(result.stdout.hasSuffix("0 passed, 1 failed\n"))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"<testsuite name="\#(file.path)" tests="1" failures="1" errors="0" skipped="0">"#))
        #expect(xml.contains(#"<failure message="expectations not met">FAILED"#))
    }

    @Test func aBrokenTestFileExitsTwo() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-authoring-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try "runbooks: [nope.yaml]\ntests: []\n".write(to: scratch, atomically: true, encoding: .utf8)
        let result = try MedicBinary.run(["test", scratch.path])
        #expect(result.status == 2)
        #expect(result.stdout.contains("\(scratch.path):1:12: runbooks[0]: no file 'nope.yaml'"))
    }

    @Test func lintPassesTheBuiltInRunbooksAndLocatesMistakes() throws {
        let clean = try MedicBinary.run(["lint", "runbooks"], in: Self.repository)
        #expect(clean.status == 0, "\(clean.stdout)")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let text = try String(contentsOf: Self.repository.appendingPathComponent("runbooks/oom-killed.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "c.lastTermination.reason", with: "c.lastTerminaton.reason")
        try text.write(to: scratch.appendingPathComponent("oom-killed.yaml"), atomically: true, encoding: .utf8)
        let broken = try MedicBinary.run(["lint", scratch.path])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("oom-killed.yaml:16:10: error: detect[0].cel: the enriched view has no "
            + "c.lastTerminaton.reason: c (container) has no field 'lastTerminaton' (did you mean 'lastTermination'?)"))
        #expect(broken.stdout.contains("warning: no test lists runbook 'oom-killed'"))
        #expect(broken.stdout.hasSuffix("1 runbook: 1 error, 1 warning\n"))
    }

    @Test func explainShowsEveryConditionPerTarget() throws {
        let result = try MedicBinary.run(["explain", "oom-killed", "--runbooks", "runbooks",
                                          "--snapshot", MedicBinary.fixtures.appendingPathComponent("oom-stale.json").path,
                                          "--at", MedicBinary.instant], in: Self.repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("oom-killed on Deployment production/cart [c=cart]: no match"))
        #expect(result.stdout.contains("    fails   recently-oom-killed"))
        #expect(result.stdout.hasSuffix("1 target: 1 no match\n"))
    }
}
