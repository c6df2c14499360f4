import Foundation
import MedicKube

/// `medic audit show`: the log as a story a tired human can follow at 3 AM. One line per
/// record (time, target, what happened, result), days as headings, and at the end the actions
/// still in flight, because those are the ones to look at first.
public struct AuditTimeline: Sendable {
    public var records: [AuditRecord]

    public init(_ records: [AuditRecord]) {
        self.records = records
    }

    /// Only records about `target`, written `namespace/name` or `Kind/namespace/name`; nil for all.
    public func render(target filter: String? = nil) -> String {
        let shown = records.filter { record in
            guard let filter else { return true }
            guard let target = record.target else { return false }
            return filter == "\(target.namespace)/\(target.name)" || filter == "\(target.kind)/\(target.namespace)/\(target.name)"
        }
        var out = ""
        if let first = records.first, let last = records.last {
            let log = records.first { $0.type == .genesis }?.payload.log ?? "?"
            out += "audit log '\(log)': \(records.count) records, \(RFC3339.format(first.time)) to \(RFC3339.format(last.time))"
            if let filter { out += ", \(shown.count) about \(filter)" }
            out += "\n"
        }
        var day = ""
        for record in shown {
            let stamp = RFC3339.format(record.time)
            let date = String(stamp.prefix(10)), clock = String(stamp.dropFirst(11).prefix(8))
            if date != day {
                out += "\n\(date) (UTC)\n"
                day = date
            }
            let target = record.target.map(\.description) ?? "-"
            out += "\(clock)  \(Self.pad(Self.label(record.type), 9))  \(Self.pad(target, 40))  \(Self.story(record))\n"
        }
        let inFlight = Self.inFlight(shown)
        if !inFlight.isEmpty {
            out += "\nIN FLIGHT: started, no outcome recorded. Check these objects before acting on them again:\n"
            for record in inFlight {
                out += "  \(record.action ?? "?") \(record.payload.actionType ?? "?") on \(record.target.map(\.description) ?? "?") since \(RFC3339.format(record.time))\n"
            }
        }
        return out
    }

    private static func label(_ type: AuditRecord.RecordType) -> String {
        switch type {
        case .genesis: "log"
        case .verification: "verified"
        default: type.rawValue
        }
    }

    /// What happened → result, in words.
    private static func story(_ record: AuditRecord) -> String {
        let p = record.payload
        let id = record.action.map { " [\($0)]" } ?? ""
        switch record.type {
        case .genesis:
            return "log '\(p.log ?? "?")' opened"
        case .seal:
            return "sealed after \(p.records ?? 0) records"
        case .finding:
            var text = "\(p.runbook ?? "?") (\(p.severity ?? "?")): \(p.summary ?? "")"
            if let evidence = p.evidence, !evidence.isEmpty { text += " — evidence: " + evidence.joined(separator: "; ") }
            return text
        case .decision:
            var text = "\(p.actionType ?? "?")\(id) → \(p.verdict?.uppercased() ?? "?")"
            if let reasons = p.reasons, !reasons.isEmpty { text += ": " + reasons.joined(separator: "; ") }
            return text
        case .intent:
            return "\(p.actionType ?? "?")\(id) in \(p.mode ?? "?") mode: \(p.command ?? "\(p.method ?? "") \(p.path ?? "")")"
        case .outcome:
            let status = p.status ?? 0
            let result = status == 0 ? "NO RESPONSE" : (200..<300).contains(status) ? "OK \(status)" : "FAILED \(status)"
            return "\(result)\(id)" + (p.body.map { $0.isEmpty ? "" : ": \($0)" } ?? "")
        case .verification:
            return "\(p.passed == true ? "FIXED" : "NOT FIXED")\(id): \(p.detail ?? "")"
        case .rollback:
            return "rolled back\(id): \(p.detail ?? "")"
        case .approval:
            return "\(p.approved == true ? "APPROVED" : "REJECTED")\(id) by \(p.approver ?? "?")"
        }
    }

    /// Apply intents whose action has no outcome among `records`.
    private static func inFlight(_ records: [AuditRecord]) -> [AuditRecord] {
        let finished = Set(records.filter { $0.type == .outcome }.compactMap(\.action))
        return records.filter { $0.type == .intent && $0.payload.mode == "apply" && !finished.contains($0.action ?? "") }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
