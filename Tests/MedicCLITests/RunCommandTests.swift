import Foundation
import MedicProcess
import Testing

/// `medic run` as a user starts it: real processes, real sockets, one `kube-sim` process.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RunCommandTests {
    /// A process whose stderr goes to a file the test can read while it runs.
    final class Running: @unchecked Sendable {
        let process: ChildProcess
        let arguments: [String]
        let stderr: URL

        init(_ executable: URL, _ arguments: [String], scratch: URL, name: String) throws {
            stderr = scratch.appendingPathComponent("\(name).stderr")
            self.arguments = arguments
            process = try ChildProcess.spawn(executable.path, arguments, stdout: .null, stderr: .file(stderr.path))
        }

        var log: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

        /// The decoded JSON log lines with this message.
        func events(_ message: String) -> [[String: Any]] {
            log.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }.filter { $0["message"] as? String == message }
        }

        func stop() {
            process.stop()
        }
    }

    static var kubeSim: URL {
        MedicBinary.executable.deletingLastPathComponent().appendingPathComponent("kube-sim")
    }

    /// kube-sim serving the cloudmart incident, its kubeconfig, and a scratch directory.
    static func withKubeSim(_ body: (_ kubeconfig: String, _ scratch: URL) async throws -> Void) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kubeconfig = scratch.appendingPathComponent("kubeconfig").path
        let sim = try Running(kubeSim, [
            "--load", MedicBinary.incident.appendingPathComponent("snapshot.json").path,
            "--write-kubeconfig", kubeconfig, "--exit-after", "100",
        ], scratch: scratch, name: "kube-sim")
        defer { sim.stop() }
        #expect(await eventually(within: .seconds(15)) { FileManager.default.fileExists(atPath: kubeconfig) })
        try await body(kubeconfig, scratch)
    }

    static func eventually(within timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test func helpTeachesWithExamplesAndExitCodes() throws {
        let result = try MedicBinary.run(["run", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("medic run --once --policy policies/production.yaml --mode dry-run"))
        #expect(result.stdout.contains("Exit codes: 0 stopped cleanly"))
        #expect(result.stdout.contains("--lease-namespace <ns>"))
    }

    @Test func badFlagsAreUsageErrors() throws {
        var result = try MedicBinary.run(["run", "--interval", "soon"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--interval 'soon' is not a positive duration such as 30s, 1m or 1h30m"))
        result = try MedicBinary.run(["run", "--mode", "yolo"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--mode 'yolo' must be advise, dry-run or apply"))
        result = try MedicBinary.run(["run", "--listen", "8080"])
        #expect(result.status == 2)
    }

    @Test func onceWithPrometheusDownLeavesMetricRunbooksUnknownAndActsOnNothing() async throws {
        try await Self.withKubeSim { kubeconfig, scratch in
            let audit = scratch.appendingPathComponent("audit.jsonl").path
            let result = try MedicBinary.run([
                "run", "--once", "--kubeconfig", kubeconfig, "--prometheus", "http://127.0.0.1:1", "--audit-log", audit,
            ], timeout: 60)
            let lines = result.stderr.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            let finished = try #require(lines.first { $0["message"] as? String == "pass finished" })
            #expect(finished["actions"] as? [String] == [])
            #expect(!lines.contains { $0["message"] as? String == "action" })
            // The unreachable Prometheus is reported, and makes --once fail.
            #expect((finished["errors"] as? Int ?? 0) > 0)
            #expect(lines.contains {
                $0["message"] as? String == "pass error" && ($0["error"] as? String)?.hasPrefix("prometheus: ") == true
            })
            #expect(result.status == 1)
            #expect(lines.contains { $0["message"] as? String == "reconciler configured" && $0["mode"] as? String == "advise" })
            // The pass is on record and the log is sealed.
            let records = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n")
            #expect(records.first?.contains(#""type":"genesis""#) == true)
            #expect(records.last?.contains(#""type":"seal""#) == true)
            // pool-exhaustion needs Prometheus: it is unknown, not false.
            #expect(lines.contains { $0["message"] as? String == "unknown check" && $0["runbook"] as? String == "pool-exhaustion" })
            #expect(!lines.contains { $0["message"] as? String == "finding" && $0["runbook"] as? String == "pool-exhaustion" })
        }
    }

    @Test func twoReplicasOneLeadsAndTheOtherTakesOverWhenItIsKilled() async throws {
        try await Self.withKubeSim { kubeconfig, scratch in
            func replica(_ name: String) throws -> Running {
                try Running(MedicBinary.executable, [
                    "run", "--kubeconfig", kubeconfig, "--identity", name, "--lease-duration", "3", "--interval", "1s",
                    "--listen", "127.0.0.1:0", "--audit-log", scratch.appendingPathComponent("\(name).jsonl").path,
                ], scratch: scratch, name: name)
            }
            let a = try replica("replica-a"), b = try replica("replica-b")
            defer { a.stop(); b.stop() }
            #expect(await Self.eventually(within: .seconds(20)) {
                !a.events("became leader").isEmpty || !b.events("became leader").isEmpty
            })
            let (leader, follower) = a.events("became leader").isEmpty ? (b, a) : (a, b)
            #expect(await Self.eventually(within: .seconds(10)) { leader.events("pass finished").count >= 2 })
            // Only the leader acts.
            #expect(follower.events("became leader").isEmpty)
            #expect(follower.events("pass finished").isEmpty)
            #expect(follower.events("new leader observed").first?["leader"] as? String == leader.arguments[4])

            kill(leader.process.pid, SIGKILL)
            _ = leader.process.wait()
            let killed = ContinuousClock.now
            #expect(await Self.eventually(within: .seconds(10)) { !follower.events("became leader").isEmpty })
            let takeover = ContinuousClock.now - killed
            // The 3 s lease must run out first; then one retry (≤ 0.9 s) and a pass.
            #expect(takeover > .seconds(2) && takeover < .seconds(15), "took \(takeover)")
            #expect(await Self.eventually(within: .seconds(5)) { !follower.events("pass finished").isEmpty })

            kill(follower.process.pid, SIGINT)  // graceful shutdown, the lease is released
            #expect(await follower.process.waitForExit(within: .seconds(20)) == .exited(0))
            #expect(!follower.events("released the lease").isEmpty)
            #expect(!follower.events("controller stopped").isEmpty)
        }
    }
}
