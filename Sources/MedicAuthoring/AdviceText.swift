import Foundation
import MedicDiagnosis
import MedicRemediation

/// Text for a tired human: one block per root cause, most severe first, each leading with the
/// cause, then the evidence, the symptoms it explains and the entry points it reaches, then
/// the command to run. What could not be decided comes
/// last, grouped, so missing data is never silent and never drowns the findings; when
/// Prometheus failed altogether, one line above everything says so.
public enum AdviceText {
    public struct Context {
        var snapshot: String
        var now: Date
        var prometheus: String?
        /// `PrometheusOutage.line`, when Prometheus failed queries (all, or some a check needed).
        var outage: String? = nil
        var runbooks: Int
        var workloads: Int
        var services: Int

        public init(snapshot: String, now: Date, prometheus: String?, outage: String? = nil, runbooks: Int, workloads: Int,
                    services: Int) {
            (self.snapshot, self.now, self.prometheus, self.outage) = (snapshot, now, prometheus, outage)
            (self.runbooks, self.workloads, self.services) = (runbooks, workloads, services)
        }
    }

    public static func render(_ report: DiagnosisReport, context: Context) -> String {
        var lines: [String] = []
        if let outage = context.outage { lines.append(outage) }
        let count = report.findings.count
        let scope = "\(context.workloads) workloads and \(context.services) services in \(context.snapshot) "
            + "at \(EvaluationTime.format(context.now))"
        let undecidedCount = report.undecided.count
        if count == 0, undecidedCount > 0 {
            lines.append("No problems found among \(scope) (\(context.runbooks) runbooks), but \(undecidedCount) "
                + "check\(undecidedCount == 1 ? "" : "s") could not be decided (below).")
        } else if count == 0 {
            lines.append("No problems found among \(scope) (\(context.runbooks) runbooks).")
        } else {
            let causes = report.incidents.reduce(0) { $0 + $1.rootCauses.count }
            lines.append("\(count) problem\(count == 1 ? "" : "s") found among \(scope)"
                + (causes < count ? ", from \(causes) root cause\(causes == 1 ? "" : "s"):" : ":"))
        }
        let byID = Dictionary(report.findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var number = 0
        for incident in report.incidents {
            let links = Dictionary(grouping: incident.links, by: \.symptom)
            for (position, id) in incident.rootCauses.enumerated() {
                guard let cause = byID[id] else { continue }
                number += 1
                lines.append("")
                lines.append("\(number). [\(cause.severity.rawValue.uppercased())] \(cause.summary)")
                lines.append("   \(cause.target)  (runbook \(cause.runbook))")
                if !cause.evidence.isEmpty {
                    lines.append("   Evidence:")
                    lines += cause.evidence.map { "     - \($0)" }
                }
                // The symptoms and the impact belong to the incident; they are shown once, under its first cause.
                if position == 0, !incident.symptoms.isEmpty {
                    lines.append("   Symptoms it explains (medic does not act on these while the cause is open):")
                    lines += incident.symptoms.compactMap { byID[$0] }.map { symptom in
                        "     - \(symptom.target): \(symptom.summary)" + because(links[symptom.id] ?? [], byID)
                    }
                }
                let entryPoints = incident.impact.filter { $0.rootCause == id }.map { impact in
                    impact.entryPoint.description + (impact.via.isEmpty ? "" : " (via \(impact.via.joined(separator: ", ")))")
                }
                if !entryPoints.isEmpty {
                    lines.append("   Impact: reached from entry point\(entryPoints.count == 1 ? "" : "s") \(entryPoints.joined(separator: ", "))")
                }
                lines += fix(cause)
            }
        }
        let undecided = groups(report.undecided)
        if !undecided.isEmpty {
            lines.append("")
            lines.append("Not decided (a condition is unknown, and medic does not act on missing data):")
            for group in undecided {
                let shown = group.targets.prefix(3).map(\.description).joined(separator: ", ")
                let more = group.targets.count > 3 ? " and \(group.targets.count - 3) more" : ""
                lines.append("  - \(group.runbook): \(group.condition): \(group.detail)")
                lines.append("      for \(shown)\(more)")
            }
            if context.prometheus == nil {
                lines.append("  Pass --prometheus URL to evaluate metric conditions.")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Why a symptom is where it is: the first link's reason, then the other causes by name
    /// (`medic explain` gives each reason).
    private static func because(_ links: [CausalLink], _ byID: [String: Finding]) -> String {
        guard let first = links.first else { return "" }
        let others = links.dropFirst().compactMap { byID[$0.cause] }.map { "\($0.runbook) on \($0.target.name)" }
        return " (\(first.reason)" + (others.isEmpty ? ")" : "; also explained by \(others.joined(separator: ", ")))")
    }

    /// The commands to run, then what only a human can decide.
    private static func fix(_ finding: Finding) -> [String] {
        var lines: [String] = []
        let commands = finding.actions.compactMap(\.command)
        if !commands.isEmpty {
            lines.append("   Fix:")
            lines += commands.map { "     \($0)" }
        }
        for action in finding.actions {
            if let message = action.remediation.action.as(Notify.self)?.message {
                lines.append("   Needs a human: \(message)")
            }
        }
        return lines
    }

    private struct Group {
        var runbook: String
        var condition: String
        var detail: String
        var targets: [String]
    }

    private static func groups(_ checks: [UndecidedCheck]) -> [Group] {
        var order: [String] = []
        var groups: [String: Group] = [:]
        for check in checks {
            guard let unknown = check.conditions.first(where: { $0.required && $0.truth == .unknown }) else { continue }
            let key = "\(check.runbook)\u{0}\(unknown.id)\u{0}\(unknown.detail)"
            if groups[key] == nil {
                order.append(key)
                groups[key] = Group(runbook: check.runbook, condition: unknown.id, detail: unknown.detail, targets: [])
            }
            groups[key]?.targets.append(check.target.description)
        }
        return order.compactMap { groups[$0] }
    }
}
