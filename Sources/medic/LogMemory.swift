import Logging
import MedicController
import MedicDiagnosis

/// What `medic run`'s log has said and still holds, by key: a line is written again only
/// when what it says changed.
struct LogMemory {
    private var said: [String: Int] = [:]
    /// What the last pass held in each section.
    private var findings: [Finding]?
    private var decisions: [PassReport.DecisionEntry]?
    private var unknown: [UndecidedCheck]?
    /// Where each of the last pass's findings and decisions is, by id: one that is the same
    /// again says nothing new, and is not described again to find that out (hundreds, on
    /// every pass whose report moved).
    private var findingsByID: [String: Int] = [:]
    private var decisionsByID: [String: Int] = [:]

    /// Whether a section holds something else than last pass; remembers `value` either way.
    private mutating func changed<Value: Equatable>(_ section: WritableKeyPath<LogMemory, Value?>, to value: Value) -> Bool {
        defer { self[keyPath: section] = value }
        return self[keyPath: section] != value
    }

    /// Whether `key` is new or now says something else; remembers `content` either way.
    private mutating func isNew(_ key: String, _ content: some Hashable) -> Bool {
        let hash = content.hashValue
        defer { said[key] = hash }
        return said[key] != hash
    }

    /// The items that are not the same as the last pass's under their key, and the keys gone
    /// since, sorted. `previous`: the last pass's items, of which `last` holds each key's
    /// position; it then holds this pass's (`items`').
    private static func changes<Item: Equatable>(in items: [Item], key: (Item) -> String, previous: [Item]?,
                                                 since last: inout [String: Int]) -> (changed: [Item], gone: [String]) {
        var current: [String: Int] = [:]
        current.reserveCapacity(items.count)
        var changed: [Item] = []
        for (position, item) in items.enumerated() {
            let id = key(item)
            if let previous, let before = last[id], previous[before] == item {} else { changed.append(item) }
            current[id] = position
        }
        let gone = last.keys.filter { current[$0] == nil }.sorted()
        last = current
        return (changed, gone)
    }

    /// Forgets the keys of one section (`prefix`) a pass no longer has, and returns them.
    private mutating func forget(prefix: String, keeping current: Set<String>) -> [String] {
        let gone = said.keys.filter { $0.hasPrefix(prefix) && !current.contains($0) }.sorted()
        for key in gone { said[key] = nil }
        return gone
    }

    /// Findings, decisions and unknown checks are logged when they are new or differ from
    /// what the last pass logged (and a finding's end as `finding gone`), so a cluster that
    /// stays as it is keeps the log quiet; unknown checks one line per runbook.
    mutating func write(_ report: PassReport, to logger: Logger) {
        // Nothing observed: nothing is new, and nothing can be said to have ended (the pass's
        // error has its own line). Forgetting here would write every finding as gone, then
        // every finding and decision again at the next pass that reads the cluster.
        guard !report.errors.contains(where: { $0.stage == .observe }) else { return }
        // A section that holds what it held last pass says nothing new: most passes on a busy
        // cluster keep the report (whose arrays then compare at once) and every decision.
        let (lastFindings, lastDecisions) = (findings, decisions)
        if changed(\.findings, to: report.findings) {
            let (moved, gone) = Self.changes(in: report.findings, key: \.id, previous: lastFindings, since: &findingsByID)
            for finding in moved {
                let commands = finding.actions.compactMap { $0.command.map { "\($0)" } }
                guard isNew("finding \(finding.id)", [finding.severity.rawValue, finding.summary] + commands) else { continue }
                logger.notice("finding", metadata: [
                    "runbook": "\(finding.runbook)", "severity": "\(finding.severity.rawValue)", "target": "\(finding.target)",
                    "summary": "\(finding.summary)", "commands": .array(commands.map { "\($0)" }),
                ])
            }
            for id in gone {
                said["finding \(id)"] = nil
                logger.notice("finding gone", metadata: ["finding": "\(id)"])
            }
        }
        if changed(\.decisions, to: report.decisions) {
            let (moved, gone) = Self.changes(in: report.decisions, key: \.actionID, previous: lastDecisions,
                                             since: &decisionsByID)
            for decision in moved {
                let reasons = decision.reasons.map { "\($0)" }
                guard isNew("decision \(decision.actionID)", [decision.verdict.rawValue, decision.command ?? ""] + reasons) else { continue }
                logger.info("decision", metadata: [
                    "action": "\(decision.actionID)", "verdict": "\(decision.verdict.rawValue)",
                    "command": "\(decision.command ?? "")", "reasons": .array(reasons.map { "\($0)" }),
                ])
            }
            for id in gone { said["decision \(id)"] = nil }
        }
        for execution in report.executions {
            logger.notice("action", metadata: [
                "action": "\(execution.actionID)", "type": "\(execution.remediation.action.type)",
                "target": "\(execution.remediation.target)", "result": "\(execution.result.summary)",
            ])
        }
        for answer in report.alerts {
            for line in answer.lines {
                logger.notice("\(line)", metadata: [
                    "alert": "\(answer.alert.name)", "fingerprint": "\(answer.alert.fingerprint)", "objects": "\(answer.scope)",
                    "runbooks": .array(answer.runbooks.map { "\($0)" }), "findings": .array(answer.findings.map { "\($0.id)" }),
                    "incidents": .array(answer.incidents.map { "\($0)" }),
                ])
            }
        }
        for closure in report.closedAlerts {
            logger.notice("\(closure.line)", metadata: [
                "alert": "\(closure.alert.name)", "fingerprint": "\(closure.alert.fingerprint)",
                "incidents": .array(closure.incidents.map { "\($0)" }),
            ])
        }
        // Thousands of checks without Prometheus: grouped by position, each described only
        // when its runbook's line is written.
        if changed(\.unknown, to: report.unknown) {
            var current = Set<String>()
            for (runbook, positions) in Dictionary(grouping: report.unknown.indices, by: { report.unknown[$0].runbook })
                .sorted(by: { $0.key < $1.key }) {
                let key = "unknown \(runbook)"
                current.insert(key)
                guard isNew(key, positions.map { report.unknown[$0].target }) else { continue }
                let first = report.unknown[positions[0]]
                logger.info("unknown check", metadata: [
                    "runbook": "\(runbook)", "targets": .stringConvertible(positions.count), "target": "\(first.target)",
                    "reason": "\(first.conditions.first { $0.truth == .unknown }?.detail ?? "")",
                ])
            }
            _ = forget(prefix: "unknown ", keeping: current)
        }
    }
}
