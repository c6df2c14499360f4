import Foundation
import MedicKube

/// The report as blocks, written once and rendered twice (`markdown()`, `html()`), so the two
/// files always say the same thing. Order: the answer (what broke, is it fixed, how long),
/// then the timeline, the evidence, what medic did, the charts, what a human must still do,
/// and the alert rules.
public struct ReportDocument: Sendable {
    public enum Block: Sendable {
        case heading(String)
        case paragraph(String)
        case bullets([String])
        case table(header: [String], rows: [[String]])
        case code(String)
        /// A chart, with the file name its SVG is written to beside the report.
        case chart(ReportChart, file: String)
    }

    public var title: String
    public var blocks: [Block]

    public init(report: IncidentReport, charts: [ReportChart], rules: AlertRules, rulesFile: String) {
        let root = report.findings.first
        title = root.map { "Incident report: \($0.runbook) on \($0.target)" } ?? "Incident report: audit log '\(report.log)'"
        var blocks: [Block] = [.paragraph(Self.answer(report))]

        blocks.append(.heading("Timeline"))
        blocks.append(.table(header: ["phase", "at (UTC)", "after detection", "marked by"], rows: Self.phaseRows(report)))
        blocks.append(.paragraph("detected: the first finding; contained: the first change applied; diagnosed: the first decision on a root cause; resolved: every applied fix verified, with no finding after it."))

        blocks.append(.heading("What broke (root cause first)"))
        if report.findings.isEmpty { blocks.append(.paragraph("The audit log records no finding.")) }
        for finding in report.findings {
            let role = finding.isRootCause ? "**root cause**" : "symptom of \(finding.causes.map { "`\($0)`" }.joined(separator: ", "))"
            blocks.append(.paragraph("\(role): `\(finding.runbook)` (\(finding.severity)) on \(finding.target), found \(Self.clock(finding.time)): \(finding.summary)"))
            if !finding.evidence.isEmpty { blocks.append(.bullets(finding.evidence)) }
        }

        blocks.append(.heading("What medic did"))
        let changes = report.actions.filter { $0.type != "notify" }
        if changes.isEmpty {
            blocks.append(.paragraph("medic decided no change."))
        } else {
            blocks.append(.table(header: ["decided (UTC)", "action", "command", "approved by", "result", "verification"],
                                 rows: changes.map(Self.actionRow)))
        }

        blocks.append(.heading("Before and after"))
        blocks.append(.paragraph("Dashed lines mark the moment each action was applied."))
        for chart in charts {
            blocks.append(.chart(chart, file: "chart-\(chart.metric.fileName).svg"))
        }

        blocks.append(.heading("Postmortem"))
        blocks.append(.bullets(Self.postmortem(report)))
        blocks.append(.paragraph("**What a human must still do:**"))
        let tasks = report.humanTasks
        blocks.append(.bullets(tasks.isEmpty ? ["Nothing medic knows of. Confirm the impact window with the users' side, then close the incident."]
                                            : tasks + ["Load the alert rules below (after review) so this pages before it hurts next time."]))
        blocks.append(.paragraph("Still to write by hand: how users were affected, why the fault got in, what stops it coming back."))

        blocks.append(.heading("Suggested alert rules"))
        blocks.append(.paragraph("Written to `\(rulesFile)` beside this report; `promtool check rules \(rulesFile)` accepts it."))
        blocks.append(.code(rules.yaml()))
        self.blocks = blocks
    }

    /// One paragraph: what broke, whether it is fixed, how long it took.
    static func answer(_ report: IncidentReport) -> String {
        guard let root = report.findings.first else {
            return "**Nothing broke that medic saw**: the audit log '\(report.log)' records no finding."
        }
        let duration = report.duration.map(Self.duration) ?? "?"
        let state = report.isResolved
            ? "**Fixed** and verified \(duration) after medic detected it"
            : "**Not resolved** after \(duration): \(report.phase(.resolved)?.because ?? "")"
        let applied = report.actions.filter { $0.applied && $0.type != "notify" }.map { "\($0.type) on \($0.target)" }
        let did = applied.isEmpty ? "medic applied no change" : "medic applied " + applied.joined(separator: ", ")
        return "**What broke:** \(root.summary) (\(root.runbook) on \(root.target)). \(state); \(did)."
    }

    static func phaseRows(_ report: IncidentReport) -> [[String]] {
        let detected = report.phase(.detected)?.time
        return report.phases.map { phase in
            guard let time = phase.time else { return [phase.name.rawValue, "not reached", "-", phase.because] }
            let after = detected.map { duration(time.timeIntervalSince($0)) } ?? "-"
            return [phase.name.rawValue, clock(time), after, phase.because]
        }
    }

    static func actionRow(_ action: ReportAction) -> [String] {
        let result: String
        if let applied = action.appliedAt {
            result = "applied \(clock(applied)) (HTTP \(action.status ?? 0))"
        } else if let status = action.status {
            result = status == 0 ? "no response" : "\(action.mode ?? "?"): HTTP \(status)"
        } else {
            result = action.verdict == "denied" ? "denied: \(action.reasons.joined(separator: "; "))" : "not sent (\(action.verdict))"
        }
        var verification = action.verification.map { "\($0.passed ? "FIXED" : "NOT FIXED"): \($0.detail)" } ?? "-"
        if let rollback = action.rollback { verification += "; rolled back: \(rollback)" }
        return [clock(action.decided), "\(action.type) on \(action.target)", action.command.map { "`\($0)`" } ?? "-",
                action.approvedBy, result, verification]
    }

    static func postmortem(_ report: IncidentReport) -> [String] {
        let detected = report.phase(.detected)?.time
        let end = report.phase(.resolved)?.time
        let targets = Set(report.findings.map(\.target.description)).sorted()
        let changes = report.actions.filter { $0.applied && $0.type != "notify" }
        return [
            "**Impact:** \(targets.isEmpty ? "none recorded" : targets.joined(separator: ", ")); see the error-rate and latency charts for how many requests failed.",
            "**Duration:** \(detected.map(clock) ?? "?") to \(end.map(clock) ?? "still open") (\(report.duration.map(duration) ?? "?") from detection; the fault may have started before medic saw it: the charts start 15 minutes earlier).",
            "**What medic did:** \(changes.isEmpty ? "no change" : changes.map { "\($0.type) on \($0.target) (\($0.verification.map { $0.passed ? "verified" : "did not fix it" } ?? "unverified"))" }.joined(separator: "; ")).",
        ]
    }

    static func clock(_ time: Date) -> String {
        let stamp = RFC3339.format(time)
        return "\(stamp.prefix(10)) \(stamp.dropFirst(11).prefix(8))"
    }

    /// `45 s`, `3 min 5 s`, `2 h 4 min`.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }
}

extension ReportMetric {
    var fileName: String {
        switch self {
        case .errorRate: "error-rate"
        case .p95Latency: "p95-latency"
        case .restarts: "restarts"
        case .saturation: "saturation"
        }
    }
}
