import Foundation
import Testing

/// Which runbooks medic uses: the built-in ones found from the binary's real path (so a
/// symlink on PATH works from any directory), `$MEDIC_RUNBOOKS` in their place, `--runbooks`
/// added to them, `--no-builtin-runbooks` to drop them; one id in two files is an error.
@Suite struct RunbookSourcesTests {
    let snapshot = MedicBinary.incident.appendingPathComponent("snapshot.json").path

    /// A runbook of the user's own that fires on every Deployment.
    static let ownRunbook = """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: team-check, severity: low, title: Team check}
        target: workload
        detect:
          - id: any
            cel: workload.kind == "Deployment"
        summary: "team check on {{ workload.name }}"
        remediate:
          - actions: [{action: notify, message: ask the team}]
        """

    struct Scratch {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medic-sources-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }

        func write(_ text: String, to relative: String) throws {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func aSymlinkOnPathFindsTheBuiltInRunbooksFromAnEmptyDirectory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path("bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("bin/medic"),
                                                   withDestinationPath: MedicBinary.executable.path)
        let path = scratch.path("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try MedicBinary.run(["medic", "advise", "--snapshot", snapshot, "--at", MedicBinary.instant],
                                         in: scratch.root, executable: URL(fileURLWithPath: "/usr/bin/env"),
                                         environment: ["PATH": path, "MEDIC_RUNBOOKS": ""])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("5 problems found"))
        let tests = try MedicBinary.run(["medic", "test", "--run", "doubles the memory limit"],
                                        in: scratch.root, executable: URL(fileURLWithPath: "/usr/bin/env"),
                                        environment: ["PATH": path, "MEDIC_RUNBOOKS": ""])
        #expect(tests.status == 0, "\(tests.stdout)\(tests.stderr)")
        #expect(tests.stdout.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test func runbooksDirectoriesAddToTheBuiltInsAndCanReplaceThem() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write(Self.ownRunbook, to: "team/team-check.yaml")
        let added = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant,
                                         "--runbooks", scratch.path("team"), "--output", "json"])
        #expect(added.status == 1, "\(added.stderr)")
        #expect(added.stdout.contains("\"team-check\""))
        #expect(added.stdout.contains("\"oom-killed\""))
        let replaced = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant,
                                            "--runbooks", scratch.path("team"), "--no-builtin-runbooks", "--output", "json"])
        #expect(replaced.status == 1, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("\"team-check\""))
        #expect(!replaced.stdout.contains("\"oom-killed\""))
        let nothing = try MedicBinary.run(["advise", "--snapshot", snapshot, "--no-builtin-runbooks"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("--no-builtin-runbooks needs at least one --runbooks DIR"))
    }

    @Test func theBuiltInDirectoryGivenAgainIsReadOnce() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant,
                                          "--runbooks", "runbooks"], in: MedicBinary.repository)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("5 problems found"))
    }

    @Test func anIdDefinedTwiceNamesBothFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let builtIn = MedicBinary.repository.appendingPathComponent("runbooks/oom-killed.yaml").path
        try scratch.write(try String(contentsOfFile: builtIn, encoding: .utf8), to: "team/my-oom.yaml")
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--runbooks", scratch.path("team")])
        #expect(result.status == 2)
        #expect(result.stderr.contains(scratch.path("team/my-oom.yaml")))
        #expect(result.stderr.contains("runbook id 'oom-killed' is defined twice, here and in "))
        #expect(result.stderr.contains("runbooks/oom-killed.yaml"))
        let lint = try MedicBinary.run(["lint", "--runbooks", scratch.path("team")])
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("my-oom.yaml:4:9: error: metadata.name: runbook id 'oom-killed' is defined twice"))
    }

    @Test func medicRunbooksReplacesTheBuiltInsForTestAndLintToo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write(Self.ownRunbook, to: "shipped/team-check.yaml")
        try scratch.write("""
            runbooks: [../team-check.yaml]
            eval_time: 2026-11-20T03:00:00Z
            tests:
              - name: every deployment
                objects:
                  - {kind: Deployment, metadata: {name: web}, spec: {replicas: 1, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}}}
                expect_findings:
                  - {runbook: team-check, target: Deployment default/web}
            """, to: "shipped/tests/team-check.yaml")
        let environment = ["MEDIC_RUNBOOKS": scratch.path("shipped")]
        let tests = try MedicBinary.run(["test"], in: FileManager.default.temporaryDirectory, environment: environment)
        #expect(tests.status == 0, "\(tests.stdout)\(tests.stderr)")
        #expect(tests.stdout.hasSuffix("1 passed, 0 failed\n"))
        let lint = try MedicBinary.run(["lint"], in: FileManager.default.temporaryDirectory, environment: environment)
        #expect(lint.status == 0, "\(lint.stdout)")
        #expect(lint.stdout.hasSuffix("1 runbook: 0 errors, 0 warnings\n"))
        let advise = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", MedicBinary.instant, "--output", "json"],
                                         environment: environment)
        #expect(advise.stdout.contains("\"team-check\""))
        #expect(!advise.stdout.contains("\"oom-killed\""))
        let missing = try MedicBinary.run(["advise", "--snapshot", snapshot], environment: ["MEDIC_RUNBOOKS": scratch.path("nope")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("MEDIC_RUNBOOKS=\(scratch.path("nope")) is not a directory"))
    }
}
