import Foundation
import Synchronization

/// Runs a credential plugin to completion on its own thread, so a slow plugin never blocks
/// Swift's cooperative pool, and kills it when it overruns. Its stderr goes to medic's stderr,
/// where plugins print their prompts and errors for the user.
enum PluginProcess {
    enum Outcome: Sendable {
        case exited(status: Int32, output: Data)
        /// It printed more than `outputLimit` bytes: it was killed, nothing of it is used.
        case outputTooLarge
        case timedOut
        case failedToStart(String)
    }

    /// An ExecCredential is a few kilobytes; a plugin that prints more is broken or hostile.
    static let outputLimit = 1 << 20

    static func run(executable: String, arguments: [String], environment: [String: String], timeout: Duration) async -> Outcome {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment
                process.standardInput = FileHandle.nullDevice
                let output = Pipe()
                process.standardOutput = output
                do {
                    try process.run()
                } catch {
                    continuation.resume(returning: .failedToStart(KubeConfig.reason(error)))
                    return
                }
                let pid = process.processIdentifier
                let timedOut = Flag()
                let watchdog = DispatchWorkItem {
                    timedOut.set()
                    kill(pid, SIGKILL)
                }
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
                var data = Data()
                while data.count <= outputLimit {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                let tooLarge = data.count > outputLimit
                if tooLarge { kill(pid, SIGKILL) }
                process.waitUntilExit()
                watchdog.cancel()
                continuation.resume(returning: timedOut.isSet ? .timedOut
                    : tooLarge ? .outputTooLarge : .exited(status: process.terminationStatus, output: data))
            }
            thread.name = "medic-exec-plugin"
            thread.start()
        }
    }

    /// Set once by the watchdog, read by the waiting thread.
    private final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }
}
