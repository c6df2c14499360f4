import Foundation
import Synchronization

/// Runs a credential plugin to completion on its own thread, so a slow plugin never blocks
/// Swift's cooperative pool, and kills it when it overruns. Its stderr goes to medic's stderr,
/// where plugins print their prompts and errors for the user.
enum PluginProcess {
    enum Outcome: Sendable {
        case exited(status: Int32, output: Data)
        case timedOut
        case failedToStart(String)
    }

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
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                watchdog.cancel()
                continuation.resume(returning: timedOut.isSet ? .timedOut : .exited(status: process.terminationStatus, output: data))
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
