import ArgumentParser
import Foundation
import MedicAudit

/// `medic approve ID`: a human's yes, recorded in the audit log.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a proposed action, or let medic act again on a target that needs a human.",
        discussion: """
        Appends an approval record naming you to the audit log; medic run sends the action on \
        its next pass (an expired proposal is refused: medic proposes it again with a new id). \
        Two processes must not write one log: while medic run has the log open, approve with \
        the annotation instead:
          kubectl -n NS annotate deployment/NAME medic.io/approve=ID

        Examples:
          medic approve 3f29c1b7-1 --audit-log /var/lib/medic/audit.jsonl
          medic approve 3f29c1b7-1 --audit-log audit.jsonl --as alice

        Exit codes: 0 approved, 1 not pending (unknown, expired, already approved or sent), \
        2 the log cannot be read or written.
        """
    )

    @Argument(help: ArgumentHelp("The id medic approvals lists.", valueName: "id"))
    var id: String

    @Option(name: .customLong("audit-log"), help: ArgumentHelp("The audit log medic run writes.", valueName: "file"))
    var auditLog: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who approves (default: $USER).", valueName: "name"))
    var approver: String?

    func run() async throws {
        let name = try HumanRecord.person(approver, verb: "approves")
        let log = try HumanRecord.log(at: auditLog)
        do {
            let record = try await Approvals.approve(id, approver: name, log: log, now: Date())
            print("approved \(id) as \(name) (audit record \(record.seq))")
        } catch let error where error.code == .unwritable {
            throw InputError(description: "medic: \(error)")
        } catch {
            FileHandle.standardError.write(Data("medic: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
