import Foundation
import MedicKube

/// A notification as the generic JSON webhook's body (`medic.io/v1` `Notification`,
/// docs/integrations.md): the event, its incident and object, the answer, the evidence and
/// the command, and for a finding the finding exactly as `medic advise --output json` prints it.
enum WebhookMessage {
    static func body(_ notification: Notice, heldBack: Int) -> JSON {
        var body: [String: JSON] = [
            "apiVersion": "medic.io/v1", "kind": "Notification",
            "event": .string(notification.event.rawValue),
            "time": .string(RFC3339.format(notification.time)),
            "incident": .string(notification.incident),
            "severity": .string(notification.severity.rawValue),
            "runbook": .string(notification.runbook),
            "target": ["kind": .string(notification.target.kind), "namespace": .string(notification.target.namespace),
                       "name": .string(notification.target.name)],
            "title": .string(notification.title),
            "headline": .string(notification.headline),
            "evidence": .array(notification.evidence.map(JSON.string)),
            "symptoms": .array(notification.symptoms.map(JSON.string)),
            "causedBy": .array(notification.causedBy.map(JSON.string)),
            "approve": .array(notification.approval.map(JSON.string)),
            "heldBack": .int(Int64(heldBack)),
        ]
        if let command = notification.command { body["command"] = .string(command) }
        if let id = notification.actionID { body["action"] = .string(id) }
        if let result = notification.result { body["result"] = .string(result) }
        if let finding = notification.finding, let data = try? JSONEncoder().encode(finding),
           let encoded = try? JSON(parsing: data) {
            body["finding"] = encoded
        }
        return .object(body)
    }
}
