import Foundation
import KubeSim
import MedicProcess

/// The real kubectl, run against a KubeSim with its own HOME and discovery cache, bounded in time.
struct Kubectl {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let path = "/usr/bin/kubectl"

    let directory: URL
    let kubeconfig: String

    /// A fresh temp HOME with a kubeconfig for `server`.
    init(server: RunningKubeSim, credentials: KubeconfigCredentials = .none) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else {
            throw TestFailure("kubectl is not installed at \(Self.path); the conformance tests need the real binary")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig, credentials: credentials)
    }

    func run(_ arguments: String..., timeout: TimeInterval = 30) async throws -> Result {
        try await run(arguments, timeout: timeout)
    }

    func run(_ arguments: [String], timeout: TimeInterval = 30) async throws -> Result {
        let out = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        let process = try ChildProcess.spawn(
            Self.path, ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("cache").path] + arguments,
            environment: ["HOME": directory.path, "KUBECACHEDIR": directory.appendingPathComponent("cache").path,
                          "PATH": "/usr/bin:/bin", "TZ": "UTC"],
            stdout: .file(out.path), stderr: .file(err.path))
        // Polls without blocking: the in-process server answers on the same cooperative pool.
        guard let ended = await process.waitForExit(within: .seconds(timeout)) else {
            await process.terminate(grace: .seconds(5))
            throw TestFailure("kubectl \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        return Result(status: ended.shellStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs and requires exit status 0; returns stdout.
    @discardableResult
    func succeed(_ arguments: String..., timeout: TimeInterval = 30) async throws -> String {
        let result = try await run(arguments, timeout: timeout)
        guard result.status == 0 else {
            throw TestFailure("kubectl \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
