import Foundation
import MedicAudit
import MedicKube

/// What an audit log says about an incident, in the order a tired human asks: what broke (root
/// cause first), what medic did about it, and whether that held. Pure: built from the records
/// alone, so the same log always gives the same report.
public struct IncidentReport: Sendable, Equatable {
    public var log: String
    public var findings: [ReportFinding]
    public var actions: [ReportAction]
    public var phases: [IncidentPhase]
    /// When the log's last record was written: "now" for a report on an open incident.
    public var lastRecord: Date?

    public init(records: [AuditRecord]) {
        log = records.first { $0.type == .genesis }?.payload.log ?? "?"
        lastRecord = records.last?.time
        findings = ReportFinding.all(in: records)
        actions = ReportAction.all(in: records, findings: findings)
        phases = IncidentPhase.all(findings: findings, actions: actions, records: records)
    }

    public func phase(_ name: IncidentPhase.Name) -> IncidentPhase? { phases.first { $0.name == name } }

    /// Detected to resolved, or to the last record while the incident is still open.
    public var duration: TimeInterval? {
        guard let detected = phase(.detected)?.time else { return nil }
        guard let end = phase(.resolved)?.time ?? lastRecord else { return nil }
        return end.timeIntervalSince(detected)
    }

    public var isResolved: Bool { phase(.resolved)?.time != nil }

    /// What medic could not do: the notify messages of the log, then every applied action
    /// whose fix did not hold. Each is a task for a human.
    public var humanTasks: [String] {
        var tasks: [String] = []
        for action in actions where action.type == "notify" {
            if let message = action.message, !tasks.contains(message) { tasks.append(message) }
        }
        for action in actions where action.applied && action.verification?.passed == false {
            tasks.append("\(action.type) on \(action.target) did not fix it: \(action.verification?.detail ?? "no detail"). Look at \(action.target) yourself.")
        }
        for action in actions where action.verdict == "needs-approval" && action.approval == nil {
            tasks.append("\(action.type) on \(action.target) waits for approval: `medic approve \(action.id) --cluster` or reject it.")
        }
        return tasks
    }
}

/// One finding record, with whether it is a root cause. The act stage writes a symptom's
/// causes into its evidence as "waiting for the cause: <finding id>", so that is how the
/// report tells them apart without the runbooks.
public struct ReportFinding: Sendable, Equatable {
    public var time: Date
    public var incident: String
    public var runbook: String
    public var severity: String
    public var target: ObjectRef
    public var summary: String
    public var evidence: [String]
    /// The findings that explain this one, by id (`runbook/Kind/namespace/name`).
    public var causes: [String]

    static let causePrefix = "waiting for the cause: "

    public var isRootCause: Bool { causes.isEmpty }

    /// Root causes first, then by severity, then in the order they were found.
    static func all(in records: [AuditRecord]) -> [ReportFinding] {
        let found = records.filter { $0.type == .finding }.map { record in
            let evidence = (record.payload.evidence ?? []).map(Redaction.redact)
            return ReportFinding(
                time: record.time, incident: record.incident ?? "?", runbook: record.payload.runbook ?? "?",
                severity: record.payload.severity ?? "?",
                target: record.target ?? ObjectRef(kind: "?", namespace: "?", name: "?"),
                summary: Redaction.redact(record.payload.summary ?? ""),
                evidence: evidence.filter { !$0.hasPrefix(causePrefix) },
                causes: evidence.filter { $0.hasPrefix(causePrefix) }.map { String($0.dropFirst(causePrefix.count)) })
        }
        return found.enumerated().sorted { a, b in
            let left = (a.element.isRootCause ? 0 : 1, rank(a.element.severity), a.offset)
            let right = (b.element.isRootCause ? 0 : 1, rank(b.element.severity), b.offset)
            return left < right
        }.map(\.element)
    }

    private static func rank(_ severity: String) -> Int {
        ["critical", "warning", "info"].firstIndex(of: severity) ?? 3
    }
}

/// One action from its decision to its verification: the records sharing an `action` id.
public struct ReportAction: Sendable, Equatable {
    public var id: String
    public var incident: String
    public var runbook: String?
    public var type: String
    public var target: ObjectRef
    public var decided: Date
    /// Redacted again here: an old log may predate a redaction rule.
    public var command: String?
    public var verdict: String
    public var reasons: [String]
    /// A notify's message.
    public var message: String?
    public var mode: String?
    /// When the request was answered 2xx in apply mode: the change is in the cluster.
    public var appliedAt: Date?
    public var status: Int?
    public var approval: Approval?
    public var verification: Verification?
    public var rollback: String?

    public struct Approval: Sendable, Equatable {
        public var approver: String
        public var approved: Bool
        public var time: Date
    }

    public struct Verification: Sendable, Equatable {
        public var passed: Bool
        public var detail: String
        public var time: Date
    }

    public var applied: Bool { appliedAt != nil }

    /// Who let it run: a named approver, or the policy when the verdict needed nobody.
    public var approvedBy: String {
        if let approval { return approval.approved ? approval.approver : "rejected by \(approval.approver)" }
        switch verdict {
        case "allowed", "capped": return "policy (automatic)"
        case "needs-approval": return "nobody yet (needs approval)"
        default: return "nobody (\(verdict))"
        }
    }

    /// Every action with a decision, in the order decided. Later records of an action (a
    /// retried intent, a second verification) replace earlier ones: the report shows how it ended.
    static func all(in records: [AuditRecord], findings: [ReportFinding]) -> [ReportAction] {
        var order: [String] = []
        var byID: [String: ReportAction] = [:]
        for record in records {
            guard let id = record.action else { continue }
            let p = record.payload
            if byID[id] == nil {
                guard record.type == .decision else { continue }
                order.append(id)
                let incident = record.incident ?? "?"
                byID[id] = ReportAction(
                    id: id, incident: incident, runbook: findings.first { $0.incident == incident }?.runbook,
                    type: p.actionType ?? "?", target: record.target ?? ObjectRef(kind: "?", namespace: "?", name: "?"),
                    decided: record.time, command: p.command.map(Redaction.redact), verdict: p.verdict ?? "?",
                    reasons: p.reasons ?? [], message: p.detail.map(Redaction.redact))
                continue
            }
            switch record.type {
            case .decision:
                byID[id]?.verdict = p.verdict ?? "?"
                byID[id]?.reasons = p.reasons ?? []
            case .intent:
                byID[id]?.mode = p.mode
                if let command = p.command { byID[id]?.command = Redaction.redact(command) }
            case .outcome:
                byID[id]?.status = p.status
                if byID[id]?.mode == "apply", let status = p.status, (200..<300).contains(status), byID[id]?.appliedAt == nil {
                    byID[id]?.appliedAt = record.time
                }
            case .approval:
                byID[id]?.approval = Approval(approver: p.approver ?? "?", approved: p.approved ?? false, time: record.time)
            case .verification:
                byID[id]?.verification = Verification(passed: p.passed ?? false, detail: Redaction.redact(p.detail ?? ""),
                                                      time: record.time)
            case .rollback:
                byID[id]?.rollback = Redaction.redact(p.detail ?? "")
            case .genesis, .finding, .seal:
                break
            }
        }
        return order.compactMap { byID[$0] }
    }
}
