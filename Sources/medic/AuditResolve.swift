import ArgumentParser
import Foundation
import MedicAudit
import MedicController

/// `medic audit resolve ID`: a human records the outcome an in-flight action is missing.
struct AuditResolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Record what became of an action that has an intent and no outcome.",
        usage: """
          medic audit resolve <id> --outcome <outcome> --reason <text>
                              (--cluster [--kubeconfig <file>] [--context <name>]
                               | --audit-log <file>) [--as <name>]
          """,
        discussion: """
        An action is in flight when medic wrote its intent and never its outcome (it crashed, or \
        the API server stopped answering, mid-request). medic cannot know whether the change \
        landed, so it does not act on that object again and says so in every refusal. Look at \
        the object, then record what you found:
          applied       the change is there: medic verifies it on its next pass
                        (and rolls it back if the finding outlives its window)
          not-applied   it is not: medic decides again from the cluster as it is

        In a cluster, use --cluster: it annotates the action's Remediation object \
        (medic.io/resolve and medic.io/resolve-reason, under the field manager \
        medic-cli/NAME), and the leader records the outcome on its next pass. With \
        --audit-log it appends to a log no medic run has open (two processes must not \
        write one log).

        Examples:
          kubectl get remediations -A                   # InFlight ones
          kubectl -n shop get deployment api -o yaml    # look
          medic audit resolve 3f29c1b7-1 --cluster --as alice \\
            --outcome not-applied --reason "limit still 128Mi after the reboot"
          kubectl -n shop annotate remediation medic-3f29c1b7-1 \\
            medic.io/resolve=not-applied medic.io/resolve-reason="limit still 128Mi"

        Exit codes: 0 resolved, 1 not in flight (unknown, never sent, or its outcome is on \
        record), 2 the log cannot be read or written.
        """
    )

    @Argument(help: ArgumentHelp("The action id (medic audit show lists the ones in flight).", valueName: "id"))
    var id: String

    @Option(name: .customLong("audit-log"), help: ArgumentHelp("An audit log no medic run has open.", valueName: "file"))
    var auditLog: String?

    @Flag(help: "Annotate the action's Remediation object in the cluster instead.")
    var cluster = false

    @OptionGroup var clusterOptions: ClusterOptions

    @Option(help: ArgumentHelp("applied or not-applied: what you found in the object.", valueName: "outcome"))
    var outcome: String

    @Option(help: ArgumentHelp("What you checked, for the record.", valueName: "text"))
    var reason: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who resolves (default: $USER).", valueName: "name"))
    var person: String?

    func validate() throws {
        guard InFlightResolution.Outcome(rawValue: outcome) != nil else {
            throw ValidationError("--outcome must be applied or not-applied, not '\(outcome)'")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--reason must say what you checked; it goes into the audit log")
        }
        try HumanRecord.validate(auditLog: auditLog, cluster: cluster, clusterOptions: clusterOptions)
    }

    func run() async throws {
        let name = try HumanRecord.person(person, verb: "resolves")
        guard let auditLog else {
            let annotations = [AnnotatedResolution.annotation: outcome, AnnotatedResolution.reasonAnnotation: reason]
            let object = try await HumanRecord.annotating {
                try await RemediationAnnotation.annotate(id, annotations, phases: [.inFlight], person: name, cluster: clusterOptions)
            }
            print("resolved \(id) as \(outcome) on Remediation \(object): the leader records it on its next pass")
            return
        }
        let log = try HumanRecord.log(at: auditLog)
        do {
            let record = try await InFlightResolution.resolve(id, outcome: InFlightResolution.Outcome(rawValue: outcome)!,
                                                              reason: reason, by: name, log: log, now: Date())
            print("resolved \(id) as \(outcome) (audit record \(record.seq))")
        } catch let error where error.code == .unwritable {
            throw InputError(description: "medic: \(error)")
        } catch {
            FileHandle.standardError.write(Data("medic: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
