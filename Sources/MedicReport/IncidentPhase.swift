import Foundation
import MedicAudit

/// One step of an incident's life, read from the audit log. The definitions are fixed so two
/// reports on two incidents compare (docs/report.md):
///
/// - **detected**: the first finding record.
/// - **contained**: the first action applied (a 2xx answer to an apply-mode request): from
///   here medic is changing things rather than only watching.
/// - **diagnosed**: the first decision on a root-cause finding's incident: the cause is named
///   and a fix for it chosen (a symptom's decisions do not count).
/// - **resolved**: the last passed verification, once every applied action's verification
///   passed and no finding was recorded after it. Unset while any fix failed or is unverified.
public struct IncidentPhase: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case detected, contained, diagnosed, resolved
    }

    public var name: Name
    /// Nil: the phase was not reached in this log.
    public var time: Date?
    /// The record that marks it, in words.
    public var because: String

    static func all(findings: [ReportFinding], actions: [ReportAction], records: [AuditRecord]) -> [IncidentPhase] {
        let firstFinding = findings.min { $0.time < $1.time }
        let firstApplied = actions.filter(\.applied).min { $0.appliedAt! < $1.appliedAt! }
        let rootIncidents = Set(findings.filter(\.isRootCause).map(\.incident))
        let firstRootDecision = actions.filter { rootIncidents.contains($0.incident) }.min { $0.decided < $1.decided }
        return [
            IncidentPhase(name: .detected, time: firstFinding?.time,
                          because: firstFinding.map { "\($0.runbook) found on \($0.target)" } ?? "no finding in the log"),
            IncidentPhase(name: .contained, time: firstApplied?.appliedAt,
                          because: firstApplied.map { "\($0.type) applied to \($0.target)" } ?? "no action was applied"),
            IncidentPhase(name: .diagnosed, time: firstRootDecision?.decided,
                          because: firstRootDecision.map { "\($0.runbook ?? "?") named as the cause, \($0.type) chosen" }
                              ?? "no decision on a root cause"),
            resolved(findings: findings, actions: actions),
        ]
    }

    private static func resolved(findings: [ReportFinding], actions: [ReportAction]) -> IncidentPhase {
        let applied = actions.filter { $0.applied && $0.type != "notify" }
        guard !applied.isEmpty else {
            return IncidentPhase(name: .resolved, time: nil, because: "medic applied no fix")
        }
        if let failed = applied.first(where: { $0.verification?.passed == false }) {
            return IncidentPhase(name: .resolved, time: nil,
                                 because: "\(failed.type) on \(failed.target) did not fix it")
        }
        if let open = applied.first(where: { $0.verification == nil }) {
            return IncidentPhase(name: .resolved, time: nil, because: "\(open.type) on \(open.target) is not verified yet")
        }
        let last = applied.compactMap(\.verification).max { $0.time < $1.time }!
        if let later = findings.first(where: { $0.time > last.time }) {
            return IncidentPhase(name: .resolved, time: nil,
                                 because: "\(later.runbook) was found on \(later.target) after the last fix held")
        }
        return IncidentPhase(name: .resolved, time: last.time, because: "every applied fix verified")
    }
}
