import Foundation
import MedicPolicy
import MedicRemediation

extension ActionHistory {
    /// The history as the audit log tells it: every `apply` intent is an action started, every
    /// outcome ends it. An intent with no outcome stays in flight, so after a crash the gate
    /// refuses to act on that target again until a human (or verification) has looked.
    /// Intents in advise or dry-run mode changed nothing and do not count.
    public static func recover(from records: [AuditRecord]) -> ActionHistory {
        var history = ActionHistory()
        for record in records { history.apply(record) }
        return history
    }

    /// Takes one more record into account: what the audit log does as it appends.
    public mutating func apply(_ record: AuditRecord) {
        guard let action = record.action else { return }
        switch record.type {
        case .intent:
            guard record.payload.mode == Mode.apply.rawValue, let target = record.target,
                  let kind = record.payload.actionType.flatMap(ActionKind.init(rawValue:)) else { return }
            recordStart(actionID: action, target: target, kind: kind, at: record.time)
        case .outcome:
            recordFinish(actionID: action, at: record.time)
        default:
            return
        }
    }

    /// `recover(from:)` the log at `url`.
    public static func recover(fromLogAt url: URL) throws(AuditError) -> ActionHistory {
        recover(from: try AuditLog.records(at: url))
    }
}
