import CSpawn
import Foundation
import Synchronization

/// A child started with `posix_spawn`. Every program medic or its tests start goes through
/// here, not through Foundation's `Process`: on Linux, `Process.run()` lists `/proc/self/fd`
/// by copying whole `dirent` records, reads past glibc's buffer now and then, and crashes the
/// caller (swift-corelibs-foundation pull request 5472; about one suite run in five on
/// Swift 6.3.1). Owning the pid also keeps this a plain `Sendable` value whose `terminate`
/// can signal and reap the child from any task.
///
/// The child gets a clean start whichever thread spawns it, as from a shell: no blocked or
/// ignored signals (dispatch worker threads block nearly all; a child would inherit that, ignore
/// SIGTERM, and could not stop what it started itself) and none of the parent's descriptors
/// beyond stdin, stdout and stderr (an inherited pipe end would keep some other reader from
/// ever seeing EOF). glibc closes them in the child, so a descriptor another thread opens
/// meanwhile cannot slip through.
public struct ChildProcess: Sendable {
    public let pid: pid_t
    public let command: String

    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// The parent's own stream.
        case inherit
        /// A file: read for stdin; for output, created if missing, then truncated or appended to.
        case file(String, append: Bool = false)
        /// An open descriptor of the parent, e.g. one end of `ChildProcess.pipe()`.
        case descriptor(Int32)
        /// stderr only: wherever stdout goes.
        case standardOutput
    }

    public struct SpawnFailure: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
        public init(reason: String) { self.reason = reason }
    }

    /// How a child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        /// Some other wait reaped it first: it is gone, how it went is not known here.
        case reaped

        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signaled(let signal): "signal \(signal)"
            case .reaped: "already reaped"
            }
        }

        /// As a shell's `$?` has it: the exit status, or 128 + the signal (-1: not known).
        public var shellStatus: Int32 {
            switch self {
            case .exited(let status): status
            case .signaled(let signal): 128 + signal
            case .reaped: -1
            }
        }
    }

    /// `executable` is a path, not looked up in PATH. `environment` nil: the parent's.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, stdin: Stream = .null, stdout: Stream = .inherit, stderr: Stream = .inherit
    ) throws(SpawnFailure) -> ChildProcess {
        let command = ([executable] + arguments).joined(separator: " ")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory {
            try check(medic_spawn_addchdir(&actions, directory), "cannot start \(command) in \(directory)")
        }
        for (descriptor, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .inherit:
                break
            case .null:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path, let append):
                let flags = descriptor == 0 ? O_RDONLY : O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
                posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o644)
            case .descriptor(let open):
                posix_spawn_file_actions_adddup2(&actions, open, descriptor)
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, descriptor)
            }
        }
        try check(medic_spawn_addclosefrom(&actions, 3), "cannot start \(command)")

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { variables?.forEach { free($0) } }
        var pid: pid_t = 0
        let result = if var variables {
            posix_spawn(&pid, executable, &actions, &attributes, argv, &variables)
        } else {
            posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        try check(result, "cannot start \(executable)")
        return ChildProcess(pid: pid, command: command)
    }

    /// A pipe whose ends close on exec.
    public static func pipe() throws(SpawnFailure) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard medic_pipe_cloexec(&ends) == 0 else {
            throw SpawnFailure(reason: "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        return (ends[0], ends[1])
    }

    /// Starts a child with one end of a new pipe, and returns the other end, which the caller
    /// owns and closes. `start` spawns with `.descriptor(end)` as the child's stdin (when
    /// `childReads`) or stdout. Our copy of the child's end is closed here: left open, it would
    /// keep EOF from ever reaching the reader.
    public static func piped(
        childReads: Bool, _ start: (_ childEnd: Int32) throws(SpawnFailure) -> ChildProcess
    ) throws(SpawnFailure) -> (child: ChildProcess, end: Int32) {
        let ends = try pipe()
        let (childEnd, parentEnd) = childReads ? (ends.read, ends.write) : (ends.write, ends.read)
        defer { close(childEnd) }
        do {
            return (try start(childEnd), parentEnd)
        } catch {
            close(parentEnd)
            throw error
        }
    }

    private static func check(_ result: Int32, _ what: String) throws(SpawnFailure) {
        guard result == 0 else {
            throw SpawnFailure(reason: "\(what): \(String(cString: strerror(result)))")
        }
    }

    /// nil while it runs; how it ended once it has (the first call after that reaps it).
    public func exitStatus() -> Termination? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == 0 ? nil : Self.termination(result < 0 ? nil : status)
    }

    /// Blocks this thread until the child ends. With a `limit`, a child still running then is
    /// killed (it ends by signal 9). For callers on their own thread; async code uses
    /// `waitForExit(within:)`, which leaves the cooperative pool free.
    public func wait(killingAfter limit: Duration? = nil) -> Termination {
        let watchdog = limit.map { Watchdog(signalling: pid, with: SIGKILL, after: $0) }
        defer { _ = watchdog?.cancel() }
        return reap()
    }

    /// Blocks this thread until the child ends. One still running after `limit` gets SIGTERM,
    /// and SIGKILL `grace` later: a script's trap may stop what it started first.
    public func wait(terminatingAfter limit: Duration, grace: Duration) -> Termination {
        let term = Watchdog(signalling: pid, with: SIGTERM, after: limit)
        let kill = Watchdog(signalling: pid, with: SIGKILL, after: limit + grace)
        defer {
            _ = term.cancel()
            _ = kill.cancel()
        }
        return reap()
    }

    /// Blocks until the child ends and reaps it.
    func reap() -> Termination {
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &status, 0)
        } while result < 0 && errno == EINTR
        return Self.termination(result < 0 ? nil : status)
    }

    /// Polls without blocking a thread of the cooperative pool; nil if it still runs after `limit`.
    public func waitForExit(within limit: Duration) async -> Termination? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let status = exitStatus() {
                return status
            }
            if ContinuousClock.now >= deadline {
                return nil
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after `grace`; always reaps.
    public func terminate(grace: Duration) async {
        guard exitStatus() == nil else { return }
        kill(pid, SIGTERM)
        if await waitForExit(within: grace) == nil {
            kill(pid, SIGKILL)
            _ = await waitForExit(within: .seconds(5))
        }
    }

    /// As `terminate(grace:)`, blocking this thread: for `deinit` and other synchronous ends.
    public func stop(grace: Duration = .seconds(5)) {
        guard exitStatus() == nil else { return }
        kill(pid, SIGTERM)
        _ = wait(killingAfter: grace)
    }

    private static func termination(_ status: Int32?) -> Termination {
        guard let status else { return .reaped }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// Signals (kills, by default) a child that overruns its time; `cancel()` says whether it
    /// already did.
    struct Watchdog {
        private final class Fired: Sendable {
            let value = Mutex(false)
        }

        private let fired = Fired()
        private let work: DispatchWorkItem

        init(signalling pid: pid_t, with signal: Int32 = SIGKILL, after limit: Duration) {
            let fired = fired
            work = DispatchWorkItem {
                fired.value.withLock { $0 = true }
                kill(pid, signal)
            }
            let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: work)
        }

        /// True if it fired: the child was killed for overrunning.
        func cancel() -> Bool {
            work.cancel()
            return fired.value.withLock { $0 }
        }
    }
}
