import ArgumentParser
import Foundation
import Testing
@testable import medic

/// Every `--help` reads on an 80-column terminal: the preformatted lines of a discussion
/// (examples, lists: the lines that start with spaces) fit, so the help never breaks a command
/// in the middle, and they reach the terminal exactly as written.
@Suite struct HelpTests {
    /// medic and every subcommand, with the words that invoke it.
    static func commands(_ command: any ParsableCommand.Type = Medic.self, path: [String] = [])
        -> [(path: [String], type: any ParsableCommand.Type)] {
        var found = [(path: path, type: command)]
        for sub in command.configuration.subcommands {
            found += commands(sub, path: path + [sub.configuration.commandName ?? String(describing: sub).lowercased()])
        }
        return found
    }

    @Test func everyPreformattedHelpLineFitsEightyColumns() throws {
        let all = Self.commands()
        #expect(all.count >= 10)
        for (path, type) in all {
            let preformatted = type.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: true)
                .map(String.init).filter { $0.hasPrefix("  ") }
            let help = try MedicBinary.run(path + ["--help"])
            #expect(help.status == 0, "\(path)")
            let shown = Set(help.stdout.split(separator: "\n").map(String.init))
            for line in preformatted {
                #expect(line.count <= 80, "medic \(path.joined(separator: " ")): \(line.count) columns: \(line)")
                let intact = shown.contains(line)
                #expect(intact, "medic \(path.joined(separator: " ")) --help breaks: \(line)")
            }
        }
    }

    /// The whole help, USAGE included, fits 80 columns; a USAGE written out by hand (to wrap
    /// it) still names every option the command has.
    @Test func everyHelpLineFitsAndTheUsageNamesEveryOption() throws {
        for (path, _) in Self.commands() {
            let help = try MedicBinary.run(path + ["--help"], environment: ["COLUMNS": "80"])
            let name = "medic \(path.joined(separator: " "))"
            let lines = help.stdout.components(separatedBy: "\n")
            for line in lines {
                #expect(line.count <= 80, "\(name) --help: \(line.count) columns: \(line)")
            }
            guard let start = lines.firstIndex(where: { $0.hasPrefix("USAGE: ") }) else {
                Issue.record("\(name) --help has no USAGE")
                continue
            }
            let usage = lines[start...].prefix { !$0.isEmpty }.joined(separator: " ")
            let options = lines.drop { $0 != "OPTIONS:" }.compactMap { line -> String? in
                let option = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init)
                    .map { $0.hasSuffix(",") ? String($0.dropLast()) : $0 }
                guard let option, option.hasPrefix("--") || option.hasPrefix("-"), line.hasPrefix("  "),
                      !["-h", "--help", "--version"].contains(option) else { return nil }
                // `-o, --output <file>` is written `--output` in the usage
                let long = line.split(separator: " ").map(String.init).first { $0.hasPrefix("--") }
                return (long ?? option).trimmingCharacters(in: CharacterSet(charactersIn: ","))
            }
            // ArgumentParser's own `<options>` (medic run has too many to list) is not hand-written.
            for option in options where !usage.contains("<options>") {
                #expect(usage.contains(option), "\(name): USAGE does not name \(option): \(usage)")
            }
        }
    }
}
