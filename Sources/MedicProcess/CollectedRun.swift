import Foundation

/// A program run to completion with its stdout collected: a credential plugin, promtool,
/// kubectl in a test. The time limit covers the whole run, reading included, so a child that
/// hangs with its stdout open is killed like one that never exits.
extension ChildProcess {
    public enum Outcome: Sendable {
        case exited(Termination, output: Data)
        /// It printed more than the limit: it was killed, and nothing it printed is kept.
        case outputTooLarge
        case timedOut
        case failedToStart(String)
    }

    /// Blocks this thread until the child ends or overruns `timeout`.
    public static func runBlocking(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Stream = .null, stderr: Stream = .inherit, timeout: Duration, outputLimit: Int = 64 << 20
    ) -> Outcome {
        let child: ChildProcess
        let output: Int32
        do {
            (child, output) = try piped(childReads: false) { end throws(SpawnFailure) in
                try spawn(executable, arguments, environment: environment, directory: directory,
                          stdin: stdin, stdout: .descriptor(end), stderr: stderr)
            }
        } catch {
            return .failedToStart(error.reason)
        }
        defer { close(output) }
        let deadline = ContinuousClock.now + timeout
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var overran = false
        reading: while data.count <= outputLimit {
            // Polled against the deadline: a grandchild that keeps stdout open must not hold
            // this thread once the child itself is gone.
            var ready = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                overran = true
                break reading
            }
            let polled = poll(&ready, 1, Self.pollTimeout(left))
            if polled < 0 && errno != EINTR { break }
            if polled <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            data.append(buffer, count: count)
        }
        let tooLarge = data.count > outputLimit
        if tooLarge || overran { kill(child.pid, SIGKILL) }
        let watchdog = Watchdog(signalling: child.pid, after: max(deadline - ContinuousClock.now, .milliseconds(1)))
        let termination = child.reap()
        if watchdog.cancel() || overran { return .timedOut }
        return tooLarge ? .outputTooLarge : .exited(termination, output: data)
    }

    /// How long one poll of the child's stdout may wait with `left` until the deadline, in
    /// milliseconds: up to the deadline (rounded up, so a poll never ends just short of it and
    /// spins), at most a second.
    static func pollTimeout(_ left: Duration) -> Int32 {
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(max(1, min(milliseconds, 1000)))
    }

    /// As `runBlocking`, on a thread of its own, so neither a slow child nor the wait for it
    /// holds a thread of Swift's cooperative pool.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Stream = .null, stderr: Stream = .inherit, timeout: Duration, outputLimit: Int = 64 << 20
    ) async -> Outcome {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: runBlocking(
                    executable, arguments, environment: environment, directory: directory,
                    stdin: stdin, stderr: stderr, timeout: timeout, outputLimit: outputLimit))
            }
            thread.name = "medic-child"
            thread.start()
        }
    }
}
