import Foundation
import MedicProcess

/// Runs a program with a time limit and captures what it printed; stdin from a string.
struct Command {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    environment: [String: String]? = nil, timeout: TimeInterval = 120) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outFile = scratch.appendingPathComponent("stdout"), errFile = scratch.appendingPathComponent("stderr")
        let inFile = scratch.appendingPathComponent("stdin")
        try Data().write(to: outFile)
        try Data().write(to: errFile)
        try Data((stdin ?? "").utf8).write(to: inFile)
        let process = try ChildProcess.spawn(executable, arguments, environment: environment, stdin: .file(inFile.path),
                                             stdout: .file(outFile.path), stderr: .file(errFile.path))
        let ended = process.wait(killingAfter: .milliseconds(Int(timeout * 1000)))
        return Result(status: ended.shellStatus,
                      stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    /// As `run`, off the cooperative pool, so a KubeSim in the same process keeps serving.
    static func detached(_ executable: String, _ arguments: [String], stdin: String? = nil,
                         environment: [String: String]? = nil, timeout: TimeInterval = 120) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(executable, arguments, stdin: stdin, environment: environment,
                                                           timeout: timeout) })
            }
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
