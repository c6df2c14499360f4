import Foundation
import Testing

/// docs/tutorial.md works as written: its files are the ones in docs/examples/tutorial, and
/// the commands it shows, run from a directory holding a copy named `my-runbooks` (medic on
/// PATH through a symlink, as the tutorial's reader has it), print what it shows.
@Suite struct TutorialTests {
    static let tutorial = MedicBinary.repository.appendingPathComponent("docs/tutorial.md")
    static let files = MedicBinary.repository.appendingPathComponent("docs/examples/tutorial/runbooks")

    /// The fenced block after each `<!-- KEY: VALUE -->` marker, by `KEY: VALUE`.
    static func blocks() throws -> [String: String] {
        let lines = try String(contentsOf: tutorial, encoding: .utf8).components(separatedBy: "\n")
        var blocks: [String: String] = [:]
        for (index, line) in lines.enumerated() where line.hasPrefix("<!-- ") && line.hasSuffix(" -->") {
            let key = String(line.dropFirst(5).dropLast(4))
            guard index + 1 < lines.count, lines[index + 1].hasPrefix("```"),
                  let end = lines[(index + 2)...].firstIndex(where: { $0 == "```" }) else {
                throw TutorialFailure("docs/tutorial.md:\(index + 1): \(key) is not followed by a fenced block")
            }
            blocks[key] = lines[(index + 2)..<end].map { $0 + "\n" }.joined()
        }
        return blocks
    }

    /// A scratch directory with the tutorial's runbooks copied to `my-runbooks`.
    static func workspace() throws -> URL {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-tutorial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: files, to: scratch.appendingPathComponent("my-runbooks"))
        return scratch
    }

    @Test func theFilesShownAreTheFilesTested() throws {
        let blocks = try Self.blocks()
        let shown = blocks.keys.filter { $0.hasPrefix("file: ") }.sorted()
        #expect(shown == ["file: docs/examples/tutorial/runbooks/tests/upstream-refused.yaml",
                          "file: docs/examples/tutorial/runbooks/upstream-refused.yaml"])
        for key in shown {
            let file = try String(contentsOf: MedicBinary.repository.appendingPathComponent(String(key.dropFirst(6))),
                                  encoding: .utf8)
            #expect(blocks[key] == file, "docs/tutorial.md shows another \(key.dropFirst(6)) than the one tested")
        }
    }

    @Test func itsTestPassesAndLintIsClean() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let test = try MedicBinary.run(["test", "my-runbooks/tests"], in: scratch, environment: ["MEDIC_RUNBOOKS": ""])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout == (try Self.blocks())["output: medic test"], "docs/tutorial.md shows other output")
        let lint = try MedicBinary.run(["lint", "my-runbooks"], in: scratch, environment: ["MEDIC_RUNBOOKS": ""])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        #expect(lint.stdout == (try Self.blocks())["output: medic lint"], "docs/tutorial.md shows other output")
    }

    @Test func beforeTheRunbookExistsTheTestSaysWhichFileIsMissing() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("my-runbooks/upstream-refused.yaml"))
        let test = try MedicBinary.run(["test", "my-runbooks/tests"], in: scratch, environment: ["MEDIC_RUNBOOKS": ""])
        #expect(test.status == 2)
        #expect((test.stdout + test.stderr).contains("../upstream-refused.yaml"), "\(test.stdout)\(test.stderr)")
    }
}

private struct TutorialFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
