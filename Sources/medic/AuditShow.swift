import ArgumentParser
import Foundation
import MedicAudit
import MedicKube

/// `medic audit show FILE`: what medic did, in order, in words.
struct AuditShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an audit log as a timeline: time, target, what happened, result.",
        discussion: """
        One line per record, grouped by day (times in UTC): findings with their evidence, \
        decisions with the rules behind them, each request medic sent, its response, and \
        whether the fix held. Actions that started but have no recorded outcome are listed \
        last under IN FLIGHT: look at those objects before doing anything else to them.

        show does not check the hash chain; run `medic audit verify` for that.

        Examples:
          medic audit show audit.jsonl
          medic audit show audit.jsonl --target production/auth-service
          medic audit show audit.jsonl --target Deployment/production/auth-service

        Exit codes: 0 shown, 2 the file cannot be read or is not an audit log.
        """
    )

    @Argument(help: ArgumentHelp("The audit log (JSON Lines).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Only records about this object: namespace/name or Kind/namespace/name.",
                                            valueName: "target"))
    var target: String?

    func run() throws {
        let records: [AuditRecord]
        do {
            records = try AuditLog.records(at: URL(fileURLWithPath: file))
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        print(TerminalText.escaped(AuditTimeline(records).render(target: target)), terminator: "")
    }
}
