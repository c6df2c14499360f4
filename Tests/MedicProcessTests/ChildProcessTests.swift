import Foundation
@testable import MedicProcess
import Testing

@Suite("child processes", .timeLimit(.minutes(2)))
struct ChildProcessTests {
    private static func shell(_ script: String, environment: [String: String]? = nil, directory: String? = nil,
                              stdin: ChildProcess.Stream = .null, timeout: Duration = .seconds(10),
                              outputLimit: Int = 1 << 20) -> ChildProcess.Outcome {
        ChildProcess.runBlocking("/bin/sh", ["-c", script], environment: environment, directory: directory,
                                 stdin: stdin, stderr: .standardOutput, timeout: timeout, outputLimit: outputLimit)
    }

    private static func text(_ outcome: ChildProcess.Outcome) -> (ChildProcess.Termination, String)? {
        guard case .exited(let termination, let output) = outcome else { return nil }
        return (termination, String(decoding: output, as: UTF8.self))
    }

    @Test func itsOutputEnvironmentDirectoryAndStatusAreTheChilds() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in")
        try Data("from a file\n".utf8).write(to: input)
        let run = try #require(Self.text(Self.shell("echo \"$GREETING\"; pwd; cat; echo oops >&2; exit 3",
                                                    environment: ["GREETING": "hello there", "PATH": "/usr/bin:/bin"],
                                                    directory: scratch.path, stdin: .file(input.path))))
        #expect(run.0 == .exited(3))
        #expect(run.1 == "hello there\n\(scratch.resolvingSymlinksInPath().path)\nfrom a file\noops\n")
    }

    @Test func onlyTheStandardStreamsAreInherited() throws {
        // Descriptors this process holds open, without close-on-exec, as a library might.
        let open = (0..<20).map { _ in Foundation.open("/dev/null", O_RDONLY) }
        defer { open.forEach { close($0) } }
        let run = try #require(Self.text(Self.shell("ls /proc/$$/fd")))
        #expect(run.0 == .exited(0))
        #expect(run.1.split(separator: "\n") == ["0", "1", "2"],
                "the shell saw \(run.1)")
    }

    @Test func aChildStartedFromAThreadThatBlocksSignalsStillStopsOnSIGTERM() async throws {
        let child = try await withCheckedThrowingContinuation { continuation in
            Thread {
                var all = sigset_t()
                sigfillset(&all)
                pthread_sigmask(SIG_BLOCK, &all, nil)
                continuation.resume(with: Result { try ChildProcess.spawn("/bin/sleep", ["30"]) })
            }.start()
        }
        let started = ContinuousClock.now
        await child.terminate(grace: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(5), "SIGTERM was ignored, so it took SIGKILL")
        #expect(child.exitStatus() == .reaped)
    }

    @Test func aChildThatOverrunsIsKilledEvenWhileAGrandchildHoldsItsOutput() {
        let started = ContinuousClock.now
        let outcome = Self.shell("sleep 20 & echo started; sleep 20", timeout: .milliseconds(500))
        guard case .timedOut = outcome else {
            Issue.record("expected a time-out, got \(outcome)")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func outputOverTheLimitKillsTheChildAndKeepsNothing() {
        let outcome = Self.shell("while :; do echo 0123456789; done", outputLimit: 10_000)
        guard case .outputTooLarge = outcome else {
            Issue.record("expected output too large, got \(outcome)")
            return
        }
    }

    @Test func aMissingProgramIsNamed() {
        #expect(throws: ChildProcess.SpawnFailure.self) { try ChildProcess.spawn("/nonexistent/tool", []) }
        guard case .failedToStart(let reason) = ChildProcess.runBlocking("/nonexistent/tool", [], timeout: .seconds(1)) else {
            Issue.record("it started")
            return
        }
        #expect(reason.contains("/nonexistent/tool") && reason.contains("No such file"))
    }

    @Test func aBlockingWaitKillsAChildAtItsLimit() throws {
        let child = try ChildProcess.spawn("/bin/sleep", ["30"])
        let started = ContinuousClock.now
        #expect(child.wait(killingAfter: .milliseconds(200)) == .signaled(SIGKILL))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(child.wait(killingAfter: .seconds(1)) == .reaped)
    }

    @Test func aBlockingWaitTermsAtItsLimitAndKillsAfterTheGrace() throws {
        let polite = try ChildProcess.spawn("/bin/sleep", ["30"])
        #expect(polite.wait(terminatingAfter: .milliseconds(200), grace: .seconds(5)) == .signaled(SIGTERM))
        // Ignoring TERM (inherited through exec): KILL after the grace.
        let stubborn = try ChildProcess.spawn("/bin/sh", ["-c", "trap '' TERM; exec sleep 30"])
        let started = ContinuousClock.now
        #expect(stubborn.wait(terminatingAfter: .milliseconds(200), grace: .milliseconds(300)) == .signaled(SIGKILL))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// Collecting output polls the pipe until the deadline: a poll that ended short of it (its
    /// sub-second part dropped) spun every millisecond through a child's last second.
    @Test func aPollWaitsUntilTheDeadlineNotJustShortOfIt() {
        #expect(ChildProcess.pollTimeout(.milliseconds(500)) == 501)
        #expect(ChildProcess.pollTimeout(.microseconds(10)) == 1)
        #expect(ChildProcess.pollTimeout(.milliseconds(1500)) == 1000)
        #expect(ChildProcess.pollTimeout(.seconds(3)) == 1000)
    }

    /// Many children at once from several threads, with many descriptors open: the load under
    /// which Foundation's `Process.run()` now and then crashed the test process.
    @Test func manyConcurrentChildrenAllRunToTheEnd() async throws {
        let open = (0..<300).map { _ in Foundation.open("/dev/null", O_RDONLY) }
        defer { open.forEach { close($0) } }
        let statuses = await withTaskGroup(of: [ChildProcess.Termination].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var ended: [ChildProcess.Termination] = []
                    for round in 0..<50 {
                        if case .exited(let termination, let output) = await ChildProcess.run(
                            "/bin/echo", ["\(worker)-\(round)"], timeout: .seconds(10)),
                            String(decoding: output, as: UTF8.self) == "\(worker)-\(round)\n" {
                            ended.append(termination)
                        }
                    }
                    return ended
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == .exited(0) })
    }
}
