import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube
import MedicNotify
import MedicPolicy
import MedicRemediation
import MedicRunbook

/// What a pass tells people, each thing once: an incident when it opens (root cause first, its
/// symptoms folded in), a proposal when it is recorded, each action sent, each verification,
/// each escalation, and the end of an incident whose finding no longer matches.
///
/// "Once" comes from the audit log where it can: a decision is new when this pass recorded it,
/// so a restart does not repeat it. Which incidents were told (and not yet resolved) is kept
/// here; after a restart it is seeded with the incidents still open, so an incident that ends
/// while medic is down is the one thing not announced. A finding that comes back after it was
/// told as resolved is told again.
public struct PassNotifications: Sendable {
    private struct Told: Sendable {
        var runbook: String
        var target: ObjectRef
        var severity: Runbook.Severity
        var summary: String

        init(_ finding: Finding) {
            runbook = finding.runbook
            target = finding.target
            severity = finding.severity
            summary = finding.summary
        }

        var key: FindingKey { FindingKey(runbook: runbook, target: target) }
    }

    private var told: [String: Told] = [:]
    private var seeded = false
    /// What the last pass's notices were worked out from: a pass that holds the same findings
    /// and unknown checks, over the same ledger, with nothing recorded, sent or verified, has
    /// nothing new to tell (most passes on a busy cluster).
    private var last: (findings: [Finding], unknown: [UndecidedCheck], records: Int)?
    /// The undecided checks' keys, kept while the checks are the same: thousands without
    /// Prometheus, mostly the same array pass after pass, and asked about whenever a told
    /// incident's finding is gone (one that became undecided stays told).
    private var undecidedKeys: (checks: [UndecidedCheck], keys: Set<FindingKey>)?

    public init() {}

    /// `severities`: each runbook's severity, for events whose finding is gone.
    public mutating func notifications(for report: PassReport, ledger: ActionLedger,
                                       severities: [String: Runbook.Severity]) -> [Notice] {
        // Nothing observed: nothing new, and nothing can be said to have ended.
        guard !report.errors.contains(where: { $0.stage == .observe }) else { return [] }
        if let last, last.records == ledger.recordsTaken, report.opened.isEmpty, report.executions.isEmpty,
           !report.decisions.contains(where: \.recorded), report.verifications.allSatisfy({ $0.state == .pending }),
           last.findings == report.findings, last.unknown == report.unknown {
            return []
        }
        last = (report.findings, report.unknown, ledger.recordsTaken)
        let findings = Dictionary(report.findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let opened = Dictionary(report.opened.map { ($0.findingID, $0.incident) }, uniquingKeysWith: { first, _ in first })
        // The incident each finding belongs to; its own id if the audit log could not record one,
        // so a finding is never kept quiet because a write failed.
        func incident(of finding: Finding) -> String {
            opened[finding.id] ?? ledger.openIncident(runbook: finding.runbook, target: finding.target) ?? finding.id
        }
        if !seeded {
            // After a restart: what was open before was told before.
            for finding in report.findings where opened[finding.id] == nil {
                told[incident(of: finding)] = Told(finding)
            }
            seeded = true
        }
        let time = report.observationTime
        var out: [Notice] = []

        // New incidents, and old ones whose finding came back after it was told as resolved.
        var fresh: [(incident: String, finding: Finding)] = []
        for finding in report.findings {
            let id = incident(of: finding)
            guard told[id] == nil else { continue }
            told[id] = Told(finding)
            fresh.append((id, finding))
        }
        let freshIDs = Set(fresh.map(\.finding.id))
        for (incident, finding) in fresh {
            // A symptom that appears with its cause is told inside the cause's message.
            if finding.causedBy.contains(where: freshIDs.contains) { continue }
            let symptoms = report.findings.filter { $0.causedBy.contains(finding.id) && freshIDs.contains($0.id) }
            let decided = report.decisions.filter { $0.incident == incident && $0.identity.actionType != ActionKind.notify.rawValue }
            out.append(Notice(
                event: .finding, incident: incident, severity: finding.severity, target: finding.target,
                runbook: finding.runbook, time: time, headline: finding.summary,
                evidence: finding.evidence + decided.map { "medic's decision: " + Self.describe($0) },
                symptoms: symptoms.map { "\($0.runbook) on \($0.target): \($0.summary)" },
                causedBy: finding.causedBy,
                command: Self.commands(finding), finding: finding))
        }

        for decision in report.decisions where decision.recorded {
            guard let incident = decision.incident else { continue }
            let about = told[incident]
            let severity = about?.severity ?? severities[decision.identity.runbook] ?? .medium
            let target = about?.target ?? decision.identity.target
            switch decision.verdict {
            case .needsApproval:
                // The identity (a hash) is computed only for actions on the decision's target.
                let live = findings.values.lazy.flatMap(\.actions).first {
                    $0.remediation.target == decision.identity.target
                        && ActionIdentity(runbook: decision.identity.runbook, remediation: $0.remediation) == decision.identity
                }?.remediation.liveObject ?? decision.identity.target
                out.append(Notice(
                    event: .proposal, incident: incident, severity: severity, target: target, runbook: decision.identity.runbook,
                    time: time, headline: "\(decision.command ?? decision.identity.actionType) waits for a human's approval",
                    evidence: decision.reasons + (about.map { ["finding: \($0.summary)"] } ?? []),
                    command: decision.command, actionID: decision.actionID,
                    approval: ["medic approve \(decision.actionID) --cluster",
                               "kubectl annotate \(live.kind.lowercased())/\(live.name) -n \(live.namespace) \(LiveTarget.approvalAnnotation)=\(decision.actionID) --overwrite"]))
            case .escalated:
                out.append(escalation(incident: incident, target: target, severity: severity, runbook: decision.identity.runbook,
                                      time: time, headline: "medic stopped acting on \(target): the fault keeps coming back",
                                      reasons: decision.reasons, ledger: ledger))
            default:
                break
            }
        }

        for execution in report.executions {
            let result: String
            switch execution.result {
            case .applied, .unknown: result = "applied"
            case .dryRunAccepted: result = "accepted by a dry run"
            case .failed, .notSent: result = "failed"
            case .alreadyInPlace, .conflict, .deferred: continue
            }
            let about = told[execution.incident]
            let runbook = about?.runbook ?? ledger.incidents[execution.incident]?.runbook ?? ""
            out.append(Notice(
                event: .action, incident: execution.incident, severity: about?.severity ?? severities[runbook] ?? .medium,
                target: about?.target ?? execution.remediation.target, runbook: runbook, time: time,
                headline: "\(execution.remediation.redactedCommand ?? execution.remediation.action.type): \(execution.result.summary)",
                evidence: about.map { ["finding: \($0.summary)"] } ?? [],
                command: execution.remediation.redactedCommand, actionID: execution.actionID, result: result))
        }

        for verification in report.verifications where verification.state != .pending {
            let about = told[verification.incident]
            let runbook = about?.runbook ?? ledger.incidents[verification.incident]?.runbook ?? ""
            let severity = about?.severity ?? severities[runbook] ?? .medium
            let target = about?.target ?? verification.target
            let command = ledger.actions[verification.actionID]?.command
            if verification.state == .passed {
                told[verification.incident] = nil
                out.append(Notice(
                    event: .verification, incident: verification.incident, severity: severity, target: target, runbook: runbook,
                    time: time, headline: verification.detail, command: command, actionID: verification.actionID, result: "fixed"))
            } else {
                let rollback = report.rollbacks.first { $0.actionID == verification.actionID }.map { "rollback: \($0.result)" }
                out.append(escalation(incident: verification.incident, target: target, severity: severity, runbook: runbook,
                                      time: time, headline: "\(command ?? verification.actionID) did not fix it: \(verification.detail)",
                                      reasons: [rollback].compactMap { $0 }, ledger: ledger, command: command,
                                      actionID: verification.actionID))
            }
        }

        // Sorted once found, not every told incident each pass: most are still present. The
        // undecided checks (thousands without Prometheus) are looked at only when one is not.
        let present = Set(report.findings.map { FindingKey(runbook: $0.runbook, target: $0.target) })
        var ended = told.filter { !present.contains($0.value.key) }
        if !ended.isEmpty {
            let undecided: Set<FindingKey>
            if let kept = undecidedKeys, kept.checks == report.unknown {
                undecided = kept.keys
            } else {
                undecided = Set(report.unknown.map { FindingKey(runbook: $0.runbook, target: $0.target) })
                undecidedKeys = (report.unknown, undecided)
            }
            ended = ended.filter { !undecided.contains($0.value.key) }
        }
        for (incident, about) in ended.sorted(by: { $0.key < $1.key }) {
            told[incident] = nil
            out.append(Notice(
                event: .resolved, incident: incident, severity: about.severity, target: about.target, runbook: about.runbook,
                time: time, headline: "\(about.runbook) no longer matches \(about.target)", evidence: ["was: \(about.summary)"]))
        }
        return out
    }

    private func escalation(incident: String, target: ObjectRef, severity: Runbook.Severity, runbook: String, time: Date,
                            headline: String, reasons: [String], ledger: ActionLedger, command: String? = nil,
                            actionID: String? = nil) -> Notice {
        let escalation = ledger.escalation(on: target)
        return Notice(
            event: .escalation, incident: incident, severity: severity, target: target, runbook: runbook, time: time,
            headline: headline, evidence: reasons + (escalation?.reasons ?? []).filter { !reasons.contains($0) },
            command: command, actionID: actionID ?? escalation?.id,
            approval: escalation.map { ["medic approve \($0.id) --cluster"] } ?? [])
    }

    /// Each of the finding's commands, one per line (a notify has none).
    private static func commands(_ finding: Finding) -> String? {
        let commands = finding.actions.compactMap(\.command)
        return commands.isEmpty ? nil : commands.joined(separator: "\n")
    }

    private static func describe(_ decision: PassReport.DecisionEntry) -> String {
        let what = decision.command ?? decision.identity.actionType
        return switch decision.verdict {
        case .allowed, .capped, .approved: "\(what) — \(decision.verdict.rawValue)"
        case .needsApproval: "\(what) — needs approval (medic approve \(decision.actionID) --cluster)"
        case .denied: "\(what) — refused: " + decision.reasons.joined(separator: "; ")
        case .blocked, .escalated: "\(what) — \(decision.verdict.rawValue): " + decision.reasons.joined(separator: "; ")
        }
    }

    private struct FindingKey: Hashable {
        var runbook: String
        var target: ObjectRef
    }
}
