import Foundation
import MedicKube
import MedicPolicy
import MedicRunbook

/// A notification as a PagerDuty Events API v2 event. An incident is one alert, keyed by its
/// audit-log incident id: a finding triggers it, an applied action acknowledges it (medic is on
/// it), a verified fix or a cleared finding resolves it. An escalation triggers its own alert,
/// because a trigger on an acknowledged alert would not page anyone again.
enum PagerDutyEvent {
    /// The API's limits.
    static let dedupKeyLimit = 255
    static let summaryLimit = 1024

    enum Action: String { case trigger, acknowledge, resolve }

    /// nil when the event means nothing to PagerDuty (a proposal is shown on the triggered alert's
    /// own Slack or webhook targets; PagerDuty gets the trigger and the escalation).
    static func action(for notification: Notice) -> Action? {
        switch notification.event {
        case .finding, .escalation: .trigger
        case .action: notification.result == "applied" ? .acknowledge : .trigger
        case .verification, .resolved: .resolve
        case .proposal: nil
        }
    }

    static func dedupKey(_ notification: Notice) -> String {
        let key = "medic/" + notification.incident + (notification.event == .escalation ? "/escalation" : "")
        return key.count <= dedupKeyLimit ? key : String(key.prefix(dedupKeyLimit))
    }

    static func body(_ notification: Notice, routingKey: String, heldBack: Int) -> JSON? {
        guard let action = action(for: notification) else { return nil }
        var event: [String: JSON] = [
            "routing_key": .string(routingKey), "event_action": .string(action.rawValue), "dedup_key": .string(dedupKey(notification)),
        ]
        guard action == .trigger else { return .object(event) }
        var details: [String: JSON] = [
            "incident": .string(notification.incident), "runbook": .string(notification.runbook),
            "event": .string(notification.event.rawValue), "headline": .string(notification.headline),
            "evidence": .array(notification.evidence.map(JSON.string)),
        ]
        if let command = notification.command { details["command"] = .string(command) }
        if !notification.symptoms.isEmpty { details["symptoms"] = .array(notification.symptoms.map(JSON.string)) }
        if !notification.causedBy.isEmpty { details["caused_by"] = .array(notification.causedBy.map(JSON.string)) }
        if !notification.approval.isEmpty { details["approve"] = .array(notification.approval.map(JSON.string)) }
        if let id = notification.actionID { details["action"] = .string(id) }
        if let result = notification.result { details["result"] = .string(result) }
        if heldBack > 0 { details["held_back_by_rate_limit"] = .int(Int64(heldBack)) }
        event["payload"] = [
            "summary": .string(SlackMessage.clip("\(notification.title): \(notification.headline)", summaryLimit)),
            "source": .string("\(notification.target.kind)/\(notification.target.namespace)/\(notification.target.name)"),
            "severity": .string(severity(notification)),
            "timestamp": .string(RFC3339.format(notification.time)),
            "component": .string(notification.target.name),
            "group": .string(notification.target.namespace),
            "class": .string(notification.runbook),
            "custom_details": .object(details),
        ]
        return .object(event)
    }

    /// PagerDuty knows critical, error, warning and info; an escalation is always critical.
    static func severity(_ notification: Notice) -> String {
        if notification.event == .escalation { return "critical" }
        return switch notification.severity {
        case .critical: "critical"
        case .high: "error"
        case .medium: "warning"
        case .low: "info"
        }
    }
}
