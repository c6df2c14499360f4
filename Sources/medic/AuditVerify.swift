import ArgumentParser
import Foundation
import MedicKube
import MedicAudit

/// `medic audit verify FILE`: is the log still what medic wrote?
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an audit log's hash chain; name the first line that was changed.",
        discussion: """
        Recomputes the chain line by line and stops at the first problem: a line edited after \
        it was written, a record deleted (a gap in seq), records reordered or inserted, or a \
        last line cut short. On success it prints the head (seq:sha256 of the last line): \
        keep it somewhere else (a ticket, a chat message) and pass it back with --anchor to \
        prove later that nothing was cut from the end or rewritten since.

        A log medic closed cleanly ends in a seal record. --require-seal treats a log that \
        does not as truncated; leave it off for a log medic is still writing.

        Examples:
          medic audit verify audit.jsonl
          medic audit verify audit.jsonl --require-seal --anchor 42:9f86d08…

        Exit codes: 0 intact, 1 tampered or truncated (the message names the line), \
        2 the file cannot be read or the arguments are wrong.
        """
    )

    @Argument(help: ArgumentHelp("The audit log (JSON Lines).", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "Report a log that does not end in a seal record as truncated.")
    var requireSeal = false

    @Option(name: .long, help: ArgumentHelp("A head printed by an earlier verify, seq:sha256.", valueName: "seq:hash"))
    var anchor: String?

    func validate() throws {
        if let anchor, Self.parseAnchor(anchor) == nil {
            throw ValidationError("--anchor '\(anchor)' is not seq:sha256 (e.g. 42:9f86d081884c7d65…, as verify prints it)")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let options = AuditVerifier.Options(requireSeal: requireSeal, anchor: anchor.flatMap(Self.parseAnchor))
        let verification: AuditVerification
        do {
            verification = try AuditVerifier.verify(url, options: options)
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        switch verification {
        case .intact(let summary):
            print(TerminalText.escaped("\(file): \(summary)"))
        case .tampered(let tampering):
            // A tampered line is whatever someone wrote into the file.
            print(TerminalText.escaped("\(file): TAMPERED: \(tampering)"))
            throw ExitCode(1)
        }
    }

    static func parseAnchor(_ text: String) -> (seq: Int, hash: String)? {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let seq = Int(parts[0]), seq >= 1, parts[1].count == 64,
              parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return (seq, String(parts[1]))
    }
}
