import Foundation
import Testing

/// Issue 15's paused leader, with real processes: two `medic run --mode apply` replicas and one
/// `kube-sim` that logs every request with its User-Agent (`medic (replica-a)`). The leader is
/// frozen with SIGSTOP after it read the cluster and before it acted, the other replica takes
/// the lease and acts, and the first is resumed: from the server's side, it writes nothing.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FencedLeadershipTests {
    typealias Running = RunCommandTests.Running

    /// A TCP port that takes connections (into the kernel's backlog) and never answers: a
    /// Prometheus that hangs for medic's 10 s query timeout, so a pass that has read the
    /// cluster waits there, before it decides and acts.
    final class SilentListener {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    bind(descriptor, address, length) == 0 && listen(descriptor, 256) == 0
                        && getsockname(descriptor, address, &length) == 0
                }
            }
            guard bound else {
                close(descriptor)
                throw CocoaError(.fileWriteUnknown)
            }
            self.descriptor = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    /// One line of kube-sim's request log.
    struct Request {
        var time: Double
        var method: String
        var path: String
        var userAgent: String

        var isWrite: Bool { ["POST", "PUT", "PATCH", "DELETE"].contains(method) }
        var isLease: Bool { path.contains("/leases/") }
    }

    static func requests(_ file: URL) -> [Request] {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            return Request(time: object["time"] as? Double ?? 0, method: object["method"] as? String ?? "",
                           path: object["path"] as? String ?? "", userAgent: object["userAgent"] as? String ?? "")
        }
    }

    /// `action type target` of every intent in an audit log.
    static func intents(_ file: URL) -> [String] {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  record["type"] as? String == "intent" else { return nil }
            let target = record["target"] as? [String: Any] ?? [:]
            let payload = record["payload"] as? [String: Any] ?? [:]
            return "\(payload["actionType"] ?? record["action"] ?? "") \(target["kind"] ?? "")/\(target["namespace"] ?? "")/\(target["name"] ?? "")"
        }
    }

    @Test func aLeaderPausedPastItsLeaseWritesNothingWhenItResumes() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-fence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kubeconfig = scratch.appendingPathComponent("kubeconfig").path
        let requestLog = scratch.appendingPathComponent("requests.jsonl")
        let sim = try Running(RunCommandTests.kubeSim, [
            "--load", MedicBinary.incident.appendingPathComponent("snapshot.json").path,
            "--write-kubeconfig", kubeconfig, "--request-log", requestLog.path, "--exit-after", "110",
        ], scratch: scratch, name: "kube-sim")
        let prometheus = try SilentListener()
        var replicas: [Running] = []
        // SIGKILL works on a stopped process too; nothing is left running whatever fails.
        defer {
            for process in replicas.map(\.process) + [sim.process] where process.exitStatus() == nil {
                kill(process.pid, SIGKILL)
                _ = process.wait()
            }
        }
        #expect(await RunCommandTests.eventually(within: .seconds(15)) { FileManager.default.fileExists(atPath: kubeconfig) })
        func replica(_ name: String) throws -> Running {
            let started = try Running(MedicBinary.executable, [
                "run", "--kubeconfig", kubeconfig, "--identity", name, "--lease-duration", "3", "--interval", "1s",
                "--listen", "127.0.0.1:0", "--audit-log", scratch.appendingPathComponent("\(name).jsonl").path,
                "--mode", "apply", "--policy", MedicBinary.repository.appendingPathComponent("policies/demo.yaml").path,
                "--prometheus", "http://127.0.0.1:\(prometheus.port)",
            ], scratch: scratch, name: name)
            replicas.append(started)
            return started
        }
        let clock = ContinuousClock()
        let began = clock.now

        // a leads, reads the cluster, and waits on Prometheus: frozen there, before it acts.
        let a = try replica("replica-a")
        #expect(await RunCommandTests.eventually(within: .seconds(15)) { !a.events("became leader").isEmpty })
        // Its cache lists the pods before it leads; its first pass configures the reconciler.
        #expect(await RunCommandTests.eventually(within: .seconds(10)) {
            Self.requests(requestLog).contains { $0.userAgent == "medic (replica-a)" && $0.method == "GET" && $0.path.hasSuffix("/pods") }
                && !a.events("reconciler configured").isEmpty
        })
        try await Task.sleep(for: .milliseconds(500))
        kill(a.process.pid, SIGSTOP)
        #expect(a.events("action").isEmpty, "a acted before it was paused: \(a.log.suffix(2000))")

        // b takes the lease once a's has run out (3 s), then acts after its own Prometheus wait.
        let b = try replica("replica-b")
        #expect(await RunCommandTests.eventually(within: .seconds(15)) { !b.events("became leader").isEmpty }, "\(b.log.suffix(2000))")
        let resumed = Date().timeIntervalSince1970
        kill(a.process.pid, SIGCONT)
        #expect(await RunCommandTests.eventually(within: .seconds(25)) {
            Self.requests(requestLog).contains { $0.userAgent == "medic (replica-b)" && $0.method == "PATCH" && !$0.isLease }
        }, "\(b.log.suffix(3000))")
        // Time for a to do whatever it would: its retry, its pass's Prometheus timeout.
        #expect(await RunCommandTests.eventually(within: .seconds(12)) { !a.events("stopped leading").isEmpty })
        try await Task.sleep(for: .seconds(2))

        let seen = Self.requests(requestLog)
        let fromA = seen.filter { $0.userAgent == "medic (replica-a)" && $0.time >= resumed }
        // a ran after it resumed (it read the lease), so "nothing written" was decided...
        #expect(fromA.contains { $0.method == "GET" && $0.isLease })
        // ...and it sent not one write: no action, no Event, no lease renewal.
        #expect(fromA.filter(\.isWrite).isEmpty, "\(fromA.filter(\.isWrite).map { "\($0.method) \($0.path)" })")
        let writesFromB = seen.filter { $0.userAgent == "medic (replica-b)" && $0.isWrite && !$0.isLease }
        #expect(!writesFromB.isEmpty)
        #expect(!a.events("stopped leading").isEmpty)
        // Its pass was cancelled or fenced, and said so.
        #expect(a.events("pass error").contains { ($0["error"] as? String)?.hasPrefix("fence: ") == true },
                "\(a.log.suffix(3000))")
        if ProcessInfo.processInfo.environment["MEDIC_FENCE_TEST_LOG"] != nil { print(a.log) }

        // No action twice: a recorded none, b each once.
        let intentsA = Self.intents(scratch.appendingPathComponent("replica-a.jsonl"))
        let intentsB = Self.intents(scratch.appendingPathComponent("replica-b.jsonl"))
        #expect(intentsA.isEmpty, "\(intentsA)")
        #expect(!intentsB.isEmpty)
        #expect(Set(intentsB).count == intentsB.count, "\(intentsB)")
        #expect(clock.now - began < .seconds(60), "took \(clock.now - began)")
    }
}
