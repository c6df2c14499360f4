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
}
