import Foundation
import KubeSim

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("cache").path]
            + arguments
        process.environment = ["HOME": directory.path, "KUBECACHEDIR": directory.appendingPathComponent("cache").path,
                               "PATH": "/usr/bin:/bin", "TZ": "UTC"]
        let out = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Polls without blocking: the in-process server answers on the same cooperative pool.
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw TestFailure("kubectl \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        return Result(status: process.terminationStatus,
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
