import Foundation
import Testing
@testable import MedicRunbook

/// The test-file format: promtool's series notation, strict fields, paths relative to the
/// test file, defaults for inline objects, and errors at file:line:col.
@Suite struct RunbookTestLoaderTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("runbooks/tests")
    static let file = directory.appendingPathComponent("example.yaml").path

    @Test func expandingNotationMatchesPromtool() throws {
        #expect(try SeriesNotation.expand("1+2x3") == [.value(1), .value(3), .value(5), .value(7)])
        #expect(try SeriesNotation.expand("5-1x2 _ stale") == [.value(5), .value(4), .value(3), .missing, .stale])
        #expect(try SeriesNotation.expand("0.5x1 _x2") == [.value(0.5), .value(0.5), .missing, .missing])
        #expect(try SeriesNotation.expand("1e3+1e2x1") == [.value(1000), .value(1100)])
        #expect(try SeriesNotation.expand("-1x1") == [.value(-1), .value(-1)])
        #expect(throws: SeriesNotation.SyntaxError(word: "1+x3", reason: "expected a number, a+bxn, a-bxn, axn, _, _xn or stale")) {
            try SeriesNotation.expand("1 1+x3")
        }
    }

    @Test func readsATestWithInlineObjectsAndDefaults() throws {
        let file = try RunbookTestLoader.parse("""
            runbooks: [../oom-killed.yaml]
            eval_time: 2026-11-20T03:00:00Z
            tests:
              - name: inline
                objects:
                  - kind: Pod
                    metadata:
                      name: api-1
                      ownerReferences: [{kind: ReplicaSet, name: api-7d4b9c}]
                    spec: {containers: [{name: api, image: "shop/api:1.0"}]}
                metrics:
                  - {condition: pool-saturated, labels: {namespace: shop}, values: 0.5x2}
                expect_findings:
                  - target: Deployment shop/api
                    actions: [{type: set-resources, command_contains: limits=memory=1Gi}]
            """, file: Self.file)
        #expect(file.runbooks == [Self.directory.deletingLastPathComponent().appendingPathComponent("oom-killed.yaml").path])
        let test = try #require(file.tests.first)
        #expect(test.metrics.first?.points == [.value(0.5), .value(0.5), .value(0.5)])
        #expect(test.metrics.first?.interval == nil)
        let expected = try #require(test.expectation.findings?.first)
        #expect(expected.target?.description == "Deployment shop/api")
        #expect(expected.actions?.first?.commandContains == ["limits=memory=1Gi"])
        let data = try #require(test.inlineObjects)
        let list = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pod = try #require((list["items"] as? [[String: Any]])?.first)
        let metadata = try #require(pod["metadata"] as? [String: Any])
        #expect(pod["apiVersion"] as? String == "v1")
        #expect(metadata["namespace"] as? String == "default")
        #expect(metadata["creationTimestamp"] as? String == "2026-11-20T02:00:00Z")
        #expect(metadata["uid"] as? String == ManifestDefaults.uid(kind: "Pod", namespace: "default", name: "api-1"))
        let owner = try #require((metadata["ownerReferences"] as? [[String: Any]])?.first)
        #expect(owner["uid"] as? String == ManifestDefaults.uid(kind: "ReplicaSet", namespace: "default", name: "api-7d4b9c"))
        #expect(owner["controller"] as? Bool == true)
        #expect(owner["apiVersion"] as? String == "apps/v1")
    }

    @Test func unknownFieldsAreErrorsWithASuggestion() {
        #expect(throws: LoadError(file: Self.file, line: 4, column: 5, field: "tests[0].expect_finding",
                                  message: "unknown field 'expect_finding' (did you mean 'expect_findings'?)")) {
            try RunbookTestLoader.parse("""
                runbooks: [../oom-killed.yaml]
                tests:
                  - name: typo
                    expect_finding: []
                """, file: Self.file)
        }
    }

    @Test func pathsAreRelativeToTheTestFile() {
        #expect(throws: LoadError(file: Self.file, line: 1, column: 12, field: "runbooks[0]",
                                  message: "no file 'no-such-runbook.yaml' (paths are relative to the test file's folder)")) {
            try RunbookTestLoader.parse("runbooks: [no-such-runbook.yaml]\ntests: []\n", file: Self.file)
        }
    }

    @Test func decisionsAreReadWithThePolicyOfTheTestOrTheFile() throws {
        let file = try RunbookTestLoader.parse("""
            runbooks: [../oom-killed.yaml]
            eval_time: 2026-11-20T03:00:00Z
            policy: ../../policies/default.yaml
            tests:
              - name: file policy
                expect_findings:
                  - actions:
                      - {type: set-resources, decision: needs-approval, reason_contains: actions.default}
                      - {type: notify, decision: allow}
              - name: own policy
                policy: ../../policies/production.yaml
                expect_findings:
                  - actions: [{type: set-resources, decision: deny}, {type: scale, decision: capped}]
              - name: no decisions
                expect_no_findings: true
            """, file: Self.file)
        let policies = Self.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("policies")
        #expect(file.policy == policies.appendingPathComponent("default.yaml").path)
        #expect(file.tests.map(\.policy) == [policies.appendingPathComponent("default.yaml").path,
                                             policies.appendingPathComponent("production.yaml").path,
                                             policies.appendingPathComponent("default.yaml").path])
        let actions = file.tests.map { $0.expectation.findings?.first?.actions ?? [] }
        #expect(actions[0].map(\.decision) == [.needsApproval, .allowed])
        #expect(actions[0][0].reasonContains == ["actions.default"])
        #expect(actions[1].map(\.decision) == [.denied, .capped])
        #expect(actions[1][0].reasonContains == [])
    }

    @Test func aDecisionNeedsAPolicyAndAKnownVerdict() {
        #expect(throws: LoadError(file: Self.file, line: 6, column: 51, field: "tests[0].expect_findings[0].actions[0].decision",
                                  message: "a decision needs a policy to decide it: add policy: FILE (e.g. "
                                    + "../../policies/production.yaml) to the test or the top of the file")) {
            try RunbookTestLoader.parse("""
                runbooks: [../oom-killed.yaml]
                eval_time: 2026-11-20T03:00:00Z
                tests:
                  - name: no policy
                    expect_findings:
                      - actions: [{type: set-resources, decision: allowed}]
                """, file: Self.file)
        }
        #expect(throws: LoadError(file: Self.file, line: 7, column: 51, field: "tests[0].expect_findings[0].actions[0].decision",
                                  message: "'needs-aproval' is not one of allowed, capped, needs-approval, denied (did you mean 'needs-approval'?)")) {
            try RunbookTestLoader.parse("""
                runbooks: [../oom-killed.yaml]
                eval_time: 2026-11-20T03:00:00Z
                tests:
                  - name: unknown verdict
                    policy: ../../policies/production.yaml
                    expect_findings:
                      - actions: [{type: set-resources, decision: needs-aproval}]
                """, file: Self.file)
        }
        #expect(throws: LoadError(file: Self.file, line: 5, column: 13, field: "tests[0].policy",
                                  message: "no file 'production.yaml' (paths are relative to the test file's folder)")) {
            try RunbookTestLoader.parse("""
                runbooks: [../oom-killed.yaml]
                eval_time: 2026-11-20T03:00:00Z
                tests:
                  - name: wrong path
                    policy: production.yaml
                    expect_no_findings: true
                """, file: Self.file)
        }
    }

    @Test func aTestMustExpectSomethingAndHaveAnInstant() {
        #expect(throws: LoadError(file: Self.file, line: 3, column: 5, field: "tests[0]",
                                  message: "eval_time is missing (set it on the test or at the top of the file)")) {
            try RunbookTestLoader.parse("runbooks: [../oom-killed.yaml]\ntests:\n  - name: x\n    expect_no_findings: true\n",
                                        file: Self.file)
        }
        #expect(throws: LoadError(file: Self.file, line: 4, column: 5, field: "tests[0]",
                                  message: "a test needs expect_findings, expect_no_findings or expect_unknown")) {
            try RunbookTestLoader.parse("runbooks: [../oom-killed.yaml]\neval_time: 2026-11-20T03:00:00Z\ntests:\n  - name: x\n",
                                        file: Self.file)
        }
    }

    @Test func inputSeriesUsePromtoolsSelectorSyntax() throws {
        let file = try RunbookTestLoader.parse("""
            runbooks: [../oom-killed.yaml]
            eval_time: 2026-11-20T03:00:00Z
            tests:
              - name: raw
                interval: 1m
                input_series:
                  - {series: 'http_requests_total{service="a",status="5\\"00"}', values: 1+1x2}
                expect_no_findings: true
            """, file: Self.file)
        let series = try #require(file.tests.first?.inputSeries.first)
        #expect(series.metric == "http_requests_total")
        #expect(series.labels == ["service": "a", "status": "5\"00"])
        #expect(series.interval == 60)
        #expect(series.points.count == 3)
    }
}
