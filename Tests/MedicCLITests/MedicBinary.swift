import Foundation

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

    /// Starts a child as a shell would: an empty signal mask and default signal handlers.
    /// Foundation's `Process` passes on the mask of the thread that starts it, and a test's
    /// threads block SIGTERM, so a script started that way could never be stopped with TERM,
    /// nor stop what it started (`timeout` forwarding, `kill` in a trap).
    /// Returns the exit status, or 128 + signal; after `timeout` seconds the child gets TERM,
    /// 5 s later KILL.
    private static func spawn(_ arguments: [String], environment: [String: String], stdout: URL, stderr: URL,
                              timeout: TimeInterval) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout.path, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr.path, O_WRONLY | O_TRUNC, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))"])
        }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        var killAt: Date?
        while waitpid(pid, &status, WNOHANG) == 0 {
            if killAt == nil, Date() >= deadline {
                kill(pid, SIGTERM)
                killAt = Date().addingTimeInterval(5)
            } else if let killAt, Date() >= killAt {
                kill(pid, SIGKILL)
            }
            usleep(20_000)
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
