import Foundation
import MedicKube
import MedicDiagnosis
import MedicRemediation
import MedicRunbook

/// The text of `medic explain`: a header with the runbook's conditions, then one block per
/// target (and `each` element) with each condition's result, findings first. With `grouping`
/// (the same cluster diagnosed with every runbook), a finding also says which finding it is a
/// symptom of, or which it explains, and why: the causal link's rule and the call it follows.
public enum ExplainText {
    public static func render(_ runbook: Runbook, explanations: [Explanation], report: DiagnosisReport, target: String?,
                              now: Date, prometheus: String?, grouping: DiagnosisReport? = nil) -> String {
        let links = grouping?.incidents.flatMap(\.links) ?? []
        let selected = explanations.filter { explanation in
            guard let target else { return true }
            return explanation.target.name == target || "\(explanation.target.namespace)/\(explanation.target.name)" == target
        }
        var lines = ["runbook \(runbook.id) (\(runbook.file)) at \(EvaluationTime.format(now))"
            + (prometheus.map { ", metrics from \($0)" } ?? ", no Prometheus: metric conditions are unknown")]
        if let each = runbook.each { lines.append("  each \(each.variable) in \(each.collection.source)") }
        for condition in runbook.conditions {
            switch condition {
            case .cel(let cel):
                lines.append("  \(cel.id): \(cel.expression.source.trimmingCharacters(in: .whitespacesAndNewlines))")
            case .metric(let metric):
                let window = metric.window > 0 ? " for \(GoDuration.compact(metric.window))" : ""
                lines.append("  \(metric.id): promql \(metric.comparison)\(window)\(metric.required ? "" : " (evidence only)")")
            }
        }
        guard !selected.isEmpty else {
            lines.append("")
            lines.append(target.map { "No \(runbook.target.rawValue) named \($0) in the snapshot." }
                ?? "No \(runbook.target.rawValue) in the snapshot\(runbook.each == nil ? "" : " (or no elements for 'each')").")
            return lines.joined(separator: "\n")
        }
        let order: [Explanation.Outcome] = [.finding, .unknown, .noMatch]
        let sorted = selected.enumerated().sorted { a, b in
            let (ra, rb) = (order.firstIndex(of: a.element.outcome)!, order.firstIndex(of: b.element.outcome)!)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        for explanation in sorted {
            lines.append("")
            lines.append(explanation.render(eachVariable: runbook.each?.variable))
            let ran = Set(explanation.conditions.map(\.id))
            let skipped = runbook.conditions.map(\.id).filter { !ran.contains($0) }
            if !skipped.isEmpty, explanation.outcome == .noMatch {
                lines.append("    not run: \(skipped.joined(separator: ", ")) (an earlier condition failed)")
            }
            if explanation.outcome == .finding,
               let finding = report.findings.first(where: { $0.target == explanation.target && $0.runbook == runbook.id }) {
                lines.append("    => \(finding.summary)")
                for action in finding.actions {
                    lines.append("       \(action.type): \(action.command ?? messageText(action))")
                }
                for problem in ruleProblems(of: finding) {
                    lines.append("    RULE PROBLEM \(problem)")
                }
                lines += grouped(finding, links: links)
            }
        }
        lines.append("")
        lines.append(tally(selected))
        return lines.joined(separator: "\n")
    }

    /// Why `finding` sits where it does in its incident: the causes it is grouped under and the
    /// symptoms it explains, one line each with the rule and its reason.
    static func grouped(_ finding: Finding, links: [CausalLink]) -> [String] {
        links.filter { $0.symptom == finding.id }.map {
            "    symptom of \($0.cause) (rule \($0.rule)): \($0.reason); medic run does not act on it while that finding is open"
        } + links.filter { $0.cause == finding.id }.map {
            "    root cause of \($0.symptom) (rule \($0.rule)): \($0.reason)"
        }
    }

    /// `1 finding, 2 no match`: only the outcomes that occurred, each counted in words that agree.
    public static func tally(_ explanations: [Explanation]) -> String {
        let findings = explanations.filter { $0.outcome == .finding }.count
        let unknown = explanations.filter { $0.outcome == .unknown }.count
        let noMatch = explanations.filter { $0.outcome == .noMatch }.count
        var parts: [String] = []
        if findings > 0 { parts.append("\(findings) finding\(findings == 1 ? "" : "s")") }
        if unknown > 0 { parts.append("\(unknown) unknown") }
        if noMatch > 0 { parts.append("\(noMatch) no match") }
        let total = explanations.count
        return "\(total) target\(total == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }

    /// What the runbook's own expressions got wrong while building the finding (a summary
    /// template that failed, so the title stands in; an evidence line that could not render).
    public static func ruleProblems(of finding: Finding) -> [String] {
        finding.evidence.compactMap { line in
            line.hasPrefix(Self.ruleProblemPrefix) ? String(line.dropFirst(Self.ruleProblemPrefix.count)) : nil
        }
    }

    public static let ruleProblemPrefix = "rule problem: "

    private static func messageText(_ action: ProposedAction) -> String {
        action.remediation.action.as(Notify.self)?.message ?? ""
    }
}
