import Foundation
import MedicKube
import MedicRunbook

/// A notification as a Slack incoming-webhook body: `text` for the notification banner and
/// Block Kit blocks for the channel (header, the answer, the evidence, the fix, how to
/// approve). An incoming webhook cannot carry buttons (those need a Slack app), so approval
/// is the command to run.
enum SlackMessage {
    /// Slack's limits: header text 150 characters, section text 3,000, 50 blocks.
    static let headerLimit = 150
    static let sectionLimit = 3000
    /// Evidence lines shown; the rest is counted, the audit log and `medic explain` have all.
    static let evidenceLines = 8

    static func body(_ notification: Notice, heldBack: Int) -> JSON {
        var blocks: [JSON] = [
            ["type": "header", "text": ["type": "plain_text", "text": .string(clip(notification.title, headerLimit)), "emoji": false]],
            section(escape(notification.headline)),
            ["type": "section", "fields": [
                field("Severity", notification.severity.rawValue),
                field("Object", notification.targetText),
                field("Runbook", notification.runbook),
                field("Incident", notification.incident),
            ]],
        ]
        if !notification.causedBy.isEmpty {
            blocks.append(section("*Caused by*\n" + bullets(notification.causedBy, limit: evidenceLines)))
        }
        if !notification.evidence.isEmpty {
            blocks.append(section("*Evidence*\n" + bullets(notification.evidence, limit: evidenceLines)))
        }
        if !notification.symptoms.isEmpty {
            blocks.append(section("*Symptoms it explains*\n" + bullets(notification.symptoms, limit: evidenceLines)))
        }
        if let command = notification.command {
            let label = switch notification.event {
            case .proposal: "*Proposed fix*"
            case .finding: "*Fix*"
            default: "*Command*"
            }
            blocks.append(section("\(label)\n```\(escape(command))```"))
        }
        if !notification.approval.isEmpty {
            blocks.append(section("*To approve*\n" + notification.approval.map { "`\(escape($0))`" }.joined(separator: "\nor\n")))
        }
        var context = "medic · \(notification.event.rawValue) · \(RFC3339.format(notification.time))"
        if let id = notification.actionID { context += " · action \(id)" }
        if heldBack > 0 { context += " · \(heldBack) earlier notification\(heldBack == 1 ? " was" : "s were") held back by the rate limit (see medic's log)" }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": .string(clip(escape(context), sectionLimit))]]])
        return ["text": .string(clip("[medic] \(notification.title): \(notification.headline)", sectionLimit)), "blocks": .array(blocks)]
    }

    private static func section(_ text: String) -> JSON {
        ["type": "section", "text": ["type": "mrkdwn", "text": .string(clip(text, sectionLimit))]]
    }

    private static func field(_ name: String, _ value: String) -> JSON {
        ["type": "mrkdwn", "text": .string(clip("*\(name)*\n\(escape(value))", 2000))]
    }

    private static func bullets(_ lines: [String], limit: Int) -> String {
        var text = lines.prefix(limit).map { "• " + escape($0) }.joined(separator: "\n")
        if lines.count > limit { text += "\n• … and \(lines.count - limit) more" }
        return text
    }

    /// Slack reads `&`, `<` and `>` as markup; everything else is literal.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
