import ArgumentParser
import Foundation
import MedicKube

/// The `medic` command. Exit codes are promtool's: 0 nothing found / success, 1 findings or
/// failed checks, 2 a usage or input error (bad flag, unreadable snapshot, broken runbook).
@main
struct Medic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medic",
        abstract: "Find the root cause of Kubernetes incidents and the kubectl command that fixes it.",
        discussion: """
        medic matches the state of a cluster (live, or a `kubectl get -o json` snapshot) and its \
        Prometheus metrics against runbooks, and prints each problem it recognises with the \
        evidence and the exact kubectl commands that fix it.

        Exit codes: 0 no findings, 1 findings, 2 usage or input error.
        """,
        subcommands: [
            Advise.self, RunCommand.self, SnapshotCommand.self, TestCommand.self, LintCommand.self, ExplainCommand.self,
            Audit.self, ReportCommand.self, ApprovalsCommand.self, ApproveCommand.self, DeployCommand.self,
        ]
    )

    /// Runs the command, mapping argument errors to exit code 2 instead of the parser's 64.
    static func main() async {
        MallocArenas.limit()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            // It may quote a file or a server's answer: shown with its control characters escaped.
            FileHandle.standardError.write(Data((TerminalText.escaped(error.description) + "\n").utf8))
            Foundation.exit(InputError.exitCode.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(InputError.exitCode.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// A problem with what the user gave medic (a file, a flag value): printed as is, exit code 2.
struct InputError: Error, CustomStringConvertible {
    static let exitCode = ExitCode(2)
    var description: String
}
