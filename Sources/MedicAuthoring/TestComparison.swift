import Foundation
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation
import MedicRunbook

/// Compares what a test expects with what the runbooks concluded, and writes the failure the
/// way promtool does: what was expected, what came out, then why (every condition's result).
enum TestComparison {
    /// `judge` decides the actions when the test names a policy; the loader guarantees one
    /// whenever an expected action states a `decision` or `reason_contains`.
    static func compare(_ expectation: RunbookTest.Expectation, with report: DiagnosisReport,
                        judge: TestPolicyJudge? = nil) -> [String] {
        var problems: [String] = []
        if let expected = expectation.findings {
            var unmatched = Array(report.findings.indices)
            for item in expected {
                if let index = unmatched.firstIndex(where: { mismatches(item, report.findings[$0], judge: judge).isEmpty }) {
                    unmatched.remove(at: index)
                    continue
                }
                let candidates = unmatched.map { report.findings[$0] }.filter { finding in
                    (item.runbook.map { $0 == finding.runbook } ?? true)
                        && (item.target.map { matches($0, finding.target) } ?? true)
                }
                if let closest = candidates.min(by: { mismatches(item, $0, judge: judge).count < mismatches(item, $1, judge: judge).count }) {
                    problems.append("line \(item.line): the finding on \(closest.target) differs:\n"
                        + mismatches(item, closest, judge: judge).map { "      \($0)" }.joined(separator: "\n"))
                    unmatched.removeAll { report.findings[$0].target == closest.target && report.findings[$0].runbook == closest.runbook }
                } else {
                    problems.append("line \(item.line): no finding \(describe(item))")
                }
            }
            for index in unmatched {
                let finding = report.findings[index]
                problems.append("unexpected finding: \(finding.runbook) on \(finding.target): \(finding.summary)")
            }
        }
        if let expected = expectation.unknown {
            var unmatched = Array(report.undecided.indices)
            for item in expected {
                if let index = unmatched.firstIndex(where: { matches(item, report.undecided[$0]) }) {
                    unmatched.remove(at: index)
                } else {
                    let what = [item.runbook, item.target?.description].compactMap { $0 }.joined(separator: " on ")
                    let conditions = item.conditions.isEmpty ? "" : " with \(item.conditions.joined(separator: ", ")) unknown"
                    problems.append("line \(item.line): no undecided check \(what)\(conditions)")
                }
            }
            for index in unmatched {
                let check = report.undecided[index]
                let unknown = check.conditions.filter { $0.truth == .unknown }.map(\.id)
                problems.append("unexpected undecided check: \(check.runbook) on \(check.target) "
                    + "(\(unknown.joined(separator: ", ")) unknown)")
            }
        }
        // A template or rule that failed while a finding was built is a bug in the runbook,
        // whatever the test expected: a broken summary must not pass as the title.
        for finding in report.findings {
            for problem in ExplainText.ruleProblems(of: finding) {
                problems.append("rule problem in \(finding.runbook) on \(finding.target): \(problem)"
                    + (problem.hasPrefix("summary:") ? " (the title was shown instead)" : ""))
            }
        }
        return problems
    }

    /// Every field the expectation states that the finding does not satisfy, as "expected …, got …".
    static func mismatches(_ expected: RunbookTest.ExpectedFinding, _ finding: Finding,
                           judge: TestPolicyJudge?) -> [String] {
        var problems: [String] = []
        if let runbook = expected.runbook, runbook != finding.runbook {
            problems.append("runbook: expected \(runbook), got \(finding.runbook)")
        }
        if let target = expected.target, !matches(target, finding.target) {
            problems.append("target: expected \(target), got \(finding.target)")
        }
        if let severity = expected.severity, severity != finding.severity {
            problems.append("severity: expected \(severity.rawValue), got \(finding.severity.rawValue)")
        }
        if let summary = expected.summary, summary != finding.summary {
            problems.append("summary: expected \(quoted(summary)), got \(quoted(finding.summary))")
        }
        for part in expected.summaryContains where !finding.summary.contains(part) {
            problems.append("summary: expected to contain \(quoted(part)), got \(quoted(finding.summary))")
        }
        for part in expected.evidenceContains where !finding.evidence.contains(where: { $0.contains(part) }) {
            problems.append("evidence: expected a line containing \(quoted(part)), got:\n"
                + finding.evidence.map { "          \($0)" }.joined(separator: "\n"))
        }
        if let actions = expected.actions {
            let got = finding.actions
            if actions.map(\.type) != got.map(\.type) {
                problems.append("actions: expected \(actions.map(\.type)), got \(got.map(\.type))")
            } else {
                for (index, (want, have)) in zip(actions, got).enumerated() {
                    let command = have.command ?? ""
                    if let exact = want.command, exact != command {
                        problems.append("actions[\(index)].command: expected \(quoted(exact)), got \(quoted(command))")
                    }
                    for part in want.commandContains where !command.contains(part) {
                        problems.append("actions[\(index)].command: expected to contain \(quoted(part)), got \(quoted(command))")
                    }
                    let message = message(of: have) ?? ""
                    for part in want.messageContains where !message.contains(part) {
                        problems.append("actions[\(index)].message: expected to contain \(quoted(part)), got \(quoted(message))")
                    }
                    if let judge, want.decision != nil || !want.reasonContains.isEmpty {
                        problems += decisionMismatches(want, judge.decide(have.remediation), index: index)
                    }
                }
            }
        }
        return problems
    }

    /// "expected allowed, got needs-approval" with the gate's reasons beneath, so the author
    /// sees which rule spoke without running anything else.
    private static func decisionMismatches(_ want: RunbookTest.ExpectedAction, _ decision: Decision,
                                           index: Int) -> [String] {
        let reasons = decision.reasons.map(\.description)
        let got = decision.verdict + (reasons.isEmpty ? " (no reasons)" : "")
            + reasons.map { "\n          \($0)" }.joined()
        var problems: [String] = []
        if let expected = want.decision, expected.rawValue != decision.verdict {
            problems.append("actions[\(index)].decision: expected \(expected.rawValue), got \(got)")
        }
        for part in want.reasonContains where !reasons.contains(where: { $0.contains(part) }) {
            problems.append("actions[\(index)].reasons: expected one containing \(quoted(part)), got \(got)")
        }
        return problems
    }

    static func render(_ test: RunbookTest, problems: [String], report: DiagnosisReport, explanations: [Explanation],
                       runbooks: [Runbook], cluster: ClusterView, judge: TestPolicyJudge? = nil) -> String {
        var lines = ["FAILED \(test.file):\(test.line): \(test.name)"]
        lines += problems.map { "  \($0)" }
        if let expected = test.expectation.findings {
            lines.append("  expected findings:\(expected.isEmpty ? " none" : "")")
            lines += expected.map { "    - \(describe($0))" }
            lines.append("  got findings:\(report.findings.isEmpty ? " none" : "")")
            for finding in report.findings {
                lines.append("    - \(finding.runbook) on \(finding.target) (\(finding.severity.rawValue)): \(finding.summary)")
                for action in finding.actions {
                    lines.append("        \(action.type): \(action.command ?? message(of: action) ?? "")")
                    if let judge { lines += describe(judge.decide(action.remediation), of: action.remediation, policy: judge.policy.name) }
                }
            }
        }
        let named = (test.expectation.findings ?? []).compactMap(\.target) + (test.expectation.unknown ?? []).compactMap(\.target)
        let relevant = explanations.filter { explanation in
            report.findings.contains { $0.target == explanation.target }
                || report.undecided.contains { $0.target == explanation.target }
                || named.contains { matches($0, explanation.target) }
        }
        for target in named where !explanations.contains(where: { matches(target, $0.target) }) {
            lines.append("  no target \(target) among the \(cluster.workloads.count) workloads and "
                + "\(cluster.services.count) services of the test")
        }
        if !relevant.isEmpty {
            lines.append("  conditions:")
            for explanation in relevant {
                let variable = runbooks.first { $0.id == explanation.runbook }?.each?.variable
                lines += explanation.render(eachVariable: variable).split(separator: "\n").map { "    \($0)" }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `policy production: capped as kubectl …` and the reasons, under an action in "got findings".
    private static func describe(_ decision: Decision, of original: Remediation, policy: String) -> [String] {
        var head = "          policy \(policy): \(decision.verdict)"
        switch decision {
        case .capped(let rewritten, _), .needsApproval(let rewritten, _):
            if rewritten != original, let command = rewritten.kubectlCommand { head += " as \(command)" }
        case .allow, .deny: break
        }
        return [head] + decision.reasons.map { "            \($0)" }
    }

    private static func describe(_ item: RunbookTest.ExpectedFinding) -> String {
        var parts = [item.runbook ?? "any runbook", "on", item.target?.description ?? "any target"]
        if let severity = item.severity { parts.append("(\(severity.rawValue))") }
        if let summary = item.summary { parts.append("summary \(quoted(summary))") }
        for action in item.actions ?? [] {
            parts.append("\n        \(action.type)" + (action.command.map { ": \($0)" } ?? "")
                + action.commandContains.map { " …\($0)…" }.joined()
                + (action.decision.map { " (\($0.rawValue))" } ?? ""))
        }
        return parts.joined(separator: " ")
    }

    private static func matches(_ pattern: RunbookTest.TargetPattern, _ target: ObjectRef) -> Bool {
        pattern.matches(kind: target.kind, namespace: target.namespace, name: target.name)
    }

    private static func matches(_ expected: RunbookTest.ExpectedUnknown, _ check: UndecidedCheck) -> Bool {
        (expected.runbook.map { $0 == check.runbook } ?? true)
            && (expected.target.map { matches($0, check.target) } ?? true)
            && expected.conditions.allSatisfy { id in check.conditions.contains { $0.id == id && $0.truth == .unknown } }
    }

    private static func message(of action: ProposedAction) -> String? {
        action.remediation.action.as(Notify.self)?.message
    }

    private static func quoted(_ text: String) -> String {
        "\"\(text)\""
    }
}
