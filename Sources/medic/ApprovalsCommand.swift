import ArgumentParser
import Foundation
import MedicAudit
import MedicKube

/// `medic approvals`: what waits for a human's yes.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List the actions and targets waiting for a human's approval.",
        discussion: """
        An action the policy marks needs-approval becomes a proposal with an id (also shown \
        in the MedicProposed Event on its object). A target whose fix did not hold, or whose \
        fault keeps coming back, needs a human: medic does not act on it until its id is \
        approved. Proposals expire one hour after they were made; escalations do not.

        Examples:
          medic approvals --audit-log /var/lib/medic/audit/audit.log

        Exit codes: 0 listed (possibly nothing), 2 the log cannot be read.
        """
    )

    @Option(name: .customLong("audit-log"), help: ArgumentHelp("The audit log medic run writes.", valueName: "file"))
    var auditLog: String

    func run() throws {
        let records: [AuditRecord]
        do {
            records = try AuditLog.records(at: URL(fileURLWithPath: auditLog))
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        let pending = Approvals.pending(in: records, now: Date())
        guard !pending.isEmpty else {
            print("nothing waits for approval")
            return
        }
        for item in pending {
            let when = item.expires.map { "expires \(RFC3339.format($0))" } ?? "since \(RFC3339.format(item.since))"
            print("\(item.id)  \(item.kind.rawValue)  \(item.target)  \(when)")
            if let command = item.command { print(TerminalText.escaped("    \(command)")) }
            for reason in item.reasons { print(TerminalText.escaped("    \(reason)")) }
        }
    }
}
