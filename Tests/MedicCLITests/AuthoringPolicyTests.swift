import Foundation
import Testing

/// Policies in the authoring commands: `decision:` expectations in `medic test`, policy files
/// and `--policy` in `medic lint`.
@Suite struct AuthoringPolicyTests {
    static let repository = MedicBinary.repository

    /// A scratch folder, removed when `body` returns.
    private func inScratch(_ body: (URL) throws -> Void) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try body(scratch)
    }

    @Test func aWrongDecisionShowsExpectedGotAndTheGatesReasons() throws {
        try inScratch { scratch in
            let file = scratch.appendingPathComponent("decisions.yaml")
            try """
                runbooks: [\(Self.repository.path)/runbooks/oom-killed.yaml]
                eval_time: 2026-11-20T03:00:00Z
                policy: \(Self.repository.path)/policies/default.yaml
                tests:
                  - name: wrong decision
                    objects: [{snapshot: \(MedicBinary.fixtures.path)/oom-recent.json}]
                    expect_findings:
                      - target: Deployment production/cart
                        actions: [{type: set-resources, decision: allowed, reason_contains: caps.maxMemoryLimit}]
                  - name: right decision
                    objects: [{snapshot: \(MedicBinary.fixtures.path)/oom-recent.json}]
                    expect_findings:
                      - target: Deployment production/cart
                        actions: [{type: set-resources, decision: needs-approval, reason_contains: actions.default}]
                """.write(to: file, atomically: true, encoding: .utf8)
            let result = try MedicBinary.run(["test", file.path])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            let reason = "action: set-resources is not listed in actions, so actions.default applies (needs-approval)"
            #expect(result.stdout.contains("""
                  line 8: the finding on Deployment production/cart differs:
                      actions[0].decision: expected allowed, got needs-approval
                          \(reason)
                      actions[0].reasons: expected one containing "caps.maxMemoryLimit", got needs-approval
                          \(reason)
                """), "\(result.stdout)")
            #expect(result.stdout.contains("""
                        set-resources: kubectl -n production set resources deployment/cart -c cart --limits=memory=256Mi
                          policy default: needs-approval
                            \(reason)
                """), "\(result.stdout)")
            #expect(result.stdout.hasSuffix("1 passed, 1 failed\n"))
        }
    }

    @Test func aTestWhosePolicyDoesNotLoadExitsTwoAtThePolicysLine() throws {
        try inScratch { scratch in
            try """
                apiVersion: medic.io/v1
                kind: Policy
                metadata: {name: broken}
                spec:
                  mode: apply
                  caps: {maxMemoryLimit: lots}
                """.write(to: scratch.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
            let file = scratch.appendingPathComponent("test.yaml")
            try """
                runbooks: [\(Self.repository.path)/runbooks/oom-killed.yaml]
                eval_time: 2026-11-20T03:00:00Z
                tests:
                  - name: broken policy
                    policy: broken.yaml
                    expect_no_findings: true
                """.write(to: file, atomically: true, encoding: .utf8)
            let result = try MedicBinary.run(["test", file.path])
            #expect(result.status == 2)
            #expect(result.stdout.contains("ERROR \(scratch.path)/broken.yaml:6:26: spec.caps.maxMemoryLimit: \"lots\" is not a Kubernetes quantity"), "\(result.stdout)")
        }
    }

    @Test func lintReportsABrokenPolicyAtItsLine() throws {
        try inScratch { scratch in
            let policy = scratch.appendingPathComponent("prod.yaml")
            try """
                apiVersion: medic.io/v1
                kind: Policy
                metadata: {name: prod}
                spec:
                  mode: apply
                  actions:
                    default: needs-approval
                    rollout-restrat: allowed
                """.write(to: policy, atomically: true, encoding: .utf8)
            let result = try MedicBinary.run(["lint", scratch.path])
            #expect(result.status == 1)
            #expect(result.stdout == """
                \(policy.path):8:5: error: spec.actions.rollout-restrat: unknown field 'rollout-restrat' (did you mean 'rollout-restart'?)
                1 policy: 1 error, 0 warnings

                """)
        }
    }

    @Test func lintChecksShippedRunbooksAndPoliciesTogether() throws {
        let result = try MedicBinary.run(["lint", "runbooks", "policies"], in: Self.repository)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("runbooks").path)
            .filter { $0.hasSuffix(".yaml") }.count
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("\(shipped) runbooks, 3 policies: 0 errors, 0 warnings\n"), "\(result.stdout)")
        for policy in ["policies/production.yaml", "policies/demo.yaml"] {
            let judged = try MedicBinary.run(["lint", "--policy", policy, "runbooks"], in: Self.repository)
            #expect(judged.stdout.hasSuffix("\(shipped) runbooks: 0 errors, 0 warnings\n"), "\(policy): \(judged.stdout)")
        }
    }

    @Test func lintWithAPolicyWarnsAtActionsItAlwaysDenies() throws {
        try inScratch { scratch in
            let policy = scratch.appendingPathComponent("strict.yaml")
            try """
                apiVersion: medic.io/v1
                kind: Policy
                metadata: {name: strict}
                spec:
                  mode: advise
                  actions:
                    default: denied
                    rollout-restart: allowed
                    set-env: {permission: allowed, envNames: ["CHAOS_*"], otherwise: denied}
                """.write(to: policy, atomically: true, encoding: .utf8)
            let runbooks = scratch.appendingPathComponent("runbooks")
            try FileManager.default.createDirectory(at: runbooks, withIntermediateDirectories: true)
            for name in ["oom-killed.yaml", "chaos-flag.yaml"] {
                try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("runbooks/\(name)"),
                                                 to: runbooks.appendingPathComponent(name))
            }
            try """
                apiVersion: medic.io/v1
                kind: Runbook
                metadata: {name: pool-raise, severity: high, title: Pool too small}
                target: workload
                detect:
                  - {id: always, cel: "true"}
                summary: raise the pool
                remediate:
                  - actions:
                      - action: set-env
                        env: {DB_POOL_SIZE: "40", CHAOS_MONKEY: "0"}
                      - action: notify
                        message: pool raised
                """.write(to: runbooks.appendingPathComponent("pool-raise.yaml"), atomically: true, encoding: .utf8)
            let result = try MedicBinary.run(["lint", "--policy", policy.path, runbooks.path])
            #expect(result.status == 0, "\(result.stdout)")
            let lines = result.stdout.split(separator: "\n").map(String.init).filter { !$0.contains("no test lists") }
            #expect(lines == [
                "\(runbooks.path)/oom-killed.yaml:28:9: warning: remediate[0].actions[0]: policy 'strict' always denies "
                    + "set-resources: set-resources is not listed in actions, so actions.default applies (denied)",
                "\(runbooks.path)/pool-raise.yaml:10:9: warning: remediate[0].actions[0]: policy 'strict' always denies "
                    + "set-env: set-env of DB_POOL_SIZE is outside actions.set-env.envNames (CHAOS_*), so otherwise applies (denied)",
                "3 runbooks: 0 errors, 5 warnings",
            ])
        }
    }
}
