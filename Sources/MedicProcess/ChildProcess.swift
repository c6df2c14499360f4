import Foundation

/// A child started with `posix_spawn`, its output going to a log file. Owning the pid directly
/// (instead of Foundation's `Process`) keeps `LocalPrometheus` a plain `Sendable` value whose
/// `stop()` can signal and reap the child from any task.
///
/// The child gets a clean start whichever thread spawns it: no blocked signals (dispatch worker
/// threads block nearly all, and a child would inherit that and ignore SIGTERM) and none of the
/// parent's open file descriptors beyond stdin/stdout/stderr (an inherited pipe end would keep
/// some other reader from ever seeing EOF).
struct ChildProcess: Sendable {
    let pid: pid_t
    let command: String

    struct SpawnFailure: Error {
        var reason: String
    }

    static func spawn(_ executable: String, _ arguments: [String], log: String) throws(SpawnFailure) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for descriptor in inheritedDescriptors() {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultActions = sigset_t()
        sigemptyset(&defaultActions)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] {
            sigaddset(&defaultActions, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaultActions)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw SpawnFailure(reason: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, command: ([executable] + arguments).joined(separator: " "))
    }

    /// Descriptors 3 and up that are open now (Linux lists them in /proc/self/fd).
    private static func inheritedDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap(Int32.init).filter { $0 > 2 }
    }

    /// nil while running; otherwise how it ended, e.g. "exit status 1" or "signal 9".
    func exitStatus() -> String? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 {
            return nil
        }
        if result < 0 {
            return "already reaped"
        }
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Polls without blocking a thread of the cooperative pool.
    func waitForExit(within limit: Duration) async -> String? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let status = exitStatus() {
                return status
            }
            if ContinuousClock.now >= deadline {
                return nil
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after `grace`; always reaps.
    func terminate(grace: Duration) async {
        guard exitStatus() == nil else { return }
        kill(pid, SIGTERM)
        if await waitForExit(within: grace) == nil {
            kill(pid, SIGKILL)
            _ = await waitForExit(within: .seconds(5))
        }
    }
}
