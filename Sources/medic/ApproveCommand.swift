import ArgumentParser
import Foundation
import MedicAudit
import MedicController

/// `medic approve ID`: a human's yes, recorded in the audit log, or put on the action's
/// Remediation object in the cluster for the leader to record.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a proposed action, or let medic act again on a target that needs a human.",
        usage: """
          medic approve <id> (--cluster [--kubeconfig <file>] [--context <name>]
                              | --audit-log <file>) [--as <name>]
          """,
        discussion: """
        In a cluster, use --cluster: it annotates the action's Remediation object \
        medic.io/approve=true, as kubectl annotate would, under the field manager \
        medic-cli/NAME. The leader records the approval, naming you, and acts on its next \
        pass. An escalation (a target that needs a human) is approved the same way.

        With --audit-log it appends the approval to a log no medic run has open (two \
        processes must not write one log): an offline medic, or a test.

        An expired proposal is refused: medic proposes it again with a new id.

        Examples:
          medic approve 3f29c1b7-1 --cluster --as alice
          kubectl -n shop annotate remediation medic-3f29c1b7-1 medic.io/approve=true
          medic approve 3f29c1b7-1 --audit-log audit.log --as alice

        Exit codes: 0 approved, 1 not pending (unknown, expired, already approved or sent), \
        2 the log or the cluster cannot be read or written.
        """
    )

    @Argument(help: ArgumentHelp("The id medic approvals lists.", valueName: "id"))
    var id: String

    @Option(name: .customLong("audit-log"), help: ArgumentHelp("An audit log no medic run has open.", valueName: "file"))
    var auditLog: String?

    @Flag(help: "Annotate the action's Remediation object in the cluster instead.")
    var cluster = false

    @OptionGroup var clusterOptions: ClusterOptions

    @Option(name: .customLong("as"), help: ArgumentHelp("Who approves (default: $USER).", valueName: "name"))
    var approver: String?

    func validate() throws {
        try HumanRecord.validate(auditLog: auditLog, cluster: cluster, clusterOptions: clusterOptions)
    }

    func run() async throws {
        let name = try HumanRecord.person(approver, verb: "approves")
        guard let auditLog else {
            let object = try await HumanRecord.annotating {
                try await RemediationAnnotation.annotate(id, [AnnotatedApproval.annotation: "true"],
                                                         phases: [.awaitingApproval, .needsHuman], person: name, cluster: clusterOptions)
            }
            print("approved \(id) as \(name) on Remediation \(object): the leader records it and acts on its next pass")
            return
        }
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
