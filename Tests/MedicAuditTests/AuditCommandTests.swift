import Foundation
import MedicProcess
import Testing

/// `medic audit verify|show` as a user runs them: the built binary, its output and exit code.
@Suite struct AuditCommandTests {
    struct Run {
        var status: Int32
        var output: String
    }

    static var executable: URL {
        var directory = Bundle.main.bundleURL.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("medic")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/medic")
    }

    /// Runs medic with a 30 s limit; stdout and stderr together.
    static func medic(_ arguments: [String], in directory: URL) throws -> Run {
        let output = directory.appendingPathComponent("output-\(UUID().uuidString)")
        let process = try ChildProcess.spawn(executable.path, arguments, stdout: .file(output.path), stderr: .standardOutput)
        let ended = process.wait(killingAfter: .seconds(30))
        return Run(status: ended.shellStatus, output: try String(contentsOf: output, encoding: .utf8))
    }

    @Test func verifyExitCodes() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try await fixture.writeIncident()
        let head = await log.head
        let path = fixture.log.path

        let ok = try Self.medic(["audit", "verify", path, "--require-seal", "--anchor", head], in: fixture.directory)
        #expect(ok.status == 0)
        #expect(ok.output == "\(path): ok: log 'shop-incidents', 8 records, sealed, head \(head)\n")

        var lines = try fixture.lines()
        lines.swapAt(4, 5)
        try fixture.write(lines)
        let bad = try Self.medic(["audit", "verify", path], in: fixture.directory)
        #expect(bad.status == 1)
        #expect(bad.output == "\(path): TAMPERED: line 5: seq 6 comes before seq 5 (line 6): records were reordered\n")

        let missing = try Self.medic(["audit", "verify", fixture.directory.appendingPathComponent("none.jsonl").path], in: fixture.directory)
        #expect(missing.status == 2)
        #expect(missing.output.hasPrefix("medic: cannot read the audit log "))

        let badAnchor = try Self.medic(["audit", "verify", path, "--anchor", "x"], in: fixture.directory)
        #expect(badAnchor.status == 2)
        #expect(badAnchor.output.contains("--anchor 'x' is not seq:sha256"))
    }

    @Test func showAndHelp() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        let shown = try Self.medic(["audit", "show", fixture.log.path, "--target", "shop/worker"], in: fixture.directory)
        #expect(shown.status == 0)
        #expect(shown.output.contains("IN FLIGHT: started, no outcome recorded."))
        let help = try Self.medic(["audit", "verify", "--help"], in: fixture.directory)
        #expect(help.status == 0)
        #expect(help.output.contains("Exit codes: 0 intact, 1 tampered or truncated"))
        try Data("not json\n".utf8).write(to: fixture.log)
        let garbage = try Self.medic(["audit", "show", fixture.log.path], in: fixture.directory)
        #expect(garbage.status == 2)
        #expect(garbage.output == "medic: \(fixture.log.path):1: not an audit record: not valid JSON\n")
    }
}
