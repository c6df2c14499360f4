import Foundation
import MedicProcess

/// Runs the built `medic` binary as a user would, with a time limit, and captures its output.
struct MedicBinary {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let incident = repository.appendingPathComponent("docs/examples/cloudmart")
    static let fixtures = repository.appendingPathComponent("Tests/MedicDiagnosisTests/Fixtures")
    static let instant = "2026-11-20T03:00:00Z"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary SwiftPM built next to this test bundle.
    static var executable: URL {
        let bundle = Bundle.main.bundleURL
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("medic")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/medic")
    }

    /// `run` on a thread of its own, for tests that serve the binary from an in-process KubeSim:
    /// a blocking wait on the concurrency pool could starve the server that answers it.
    static func runOffPool(_ arguments: [String], in directory: URL? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try run(arguments, in: directory) }) }.start()
        }
    }

    static func run(_ arguments: [String], in directory: URL? = nil, timeout: TimeInterval = 60,
                    executable: URL = MedicBinary.executable, environment extra: [String: String] = [:]) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outFile = scratch.appendingPathComponent("stdout"), errFile = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        // No cluster of the machine's: a test sees only what it passes (no ~/.kube/config, no
        // $KUBECONFIG, no in-cluster variables).
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "KUBECONFIG" && !key.hasPrefix("KUBERNETES_")
        }
        environment["HOME"] = scratch.path
        var command = [executable.path] + arguments
        if executable == MedicBinary.executable {
            // As a user runs it: `medic` found through a symlink on PATH, from a directory that
            // holds no runbooks (the scratch one, unless the test names another), so nothing is
            // found through argv[0] or the working directory by accident.
            let bin = scratch.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("medic"), withDestinationURL: executable)
            environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            command = ["/usr/bin/env", "-C", (directory ?? scratch).path, "medic"] + arguments
        } else if let directory {
            command = ["/usr/bin/env", "-C", directory.path] + command
        }
        environment.merge(extra) { _, new in new }
        let status = try spawn(command, environment: environment, stdout: outFile, stderr: errFile, timeout: timeout)
        return Result(status: status,
                      stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    /// Returns the exit status, or 128 + signal; after `timeout` seconds the child gets TERM,
    /// 5 s later KILL (a script's trap may stop what it started).
    private static func spawn(_ arguments: [String], environment: [String: String], stdout: URL, stderr: URL,
                              timeout: TimeInterval) throws -> Int32 {
        let child = try ChildProcess.spawn(arguments[0], Array(arguments.dropFirst()), environment: environment,
                                           stdout: .file(stdout.path), stderr: .file(stderr.path))
        return child.wait(terminatingAfter: .seconds(timeout), grace: .seconds(5)).shellStatus
    }
}
