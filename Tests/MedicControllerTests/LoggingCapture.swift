import MedicKube
import Foundation
import Logging
import MedicController

/// Collects the JSON lines a `LoggingJSONHandler` writes, for tests to read back.
final class LoggingCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    /// The decoded objects of every line whose `message` is `message`.
    func events(_ message: String) -> [[String: Any]] {
        lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { $0["message"] as? String == message }
    }

    func logger(level: Logger.Level = .debug) -> Logger {
        Logger(label: "medic") { label in
            LoggingJSONHandler(label: label, logLevel: level, write: { line in
                self.lock.withLock { self.stored.append(line) }
            })
        }
    }
}
