import Foundation
import MedicHTTP
import MedicKube
import MedicProcess

/// `scripts/notification-receiver.py` on 127.0.0.1: Slack, PagerDuty and the JSON webhook as
/// their documented formats, checked by code that shares nothing with what it checks.
final class ReceiverProcess: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/notification-receiver.py").standardizedFileURL

    private let process: ChildProcess
    let port: Int

    /// One request the receiver got, with the problems its check found (none: the format holds).
    struct Received: Sendable {
        var path: String
        var answered: Int
        var problems: [String]
        var raw: String
        var body: JSON
        var authorization: String?

        /// Every string in the body, decoded: what a person sees once the service renders it.
        var text: String { Self.strings(body).joined(separator: "\n") }

        private static func strings(_ json: JSON) -> [String] {
            switch json {
            case .string(let text): [text]
            case .array(let items): items.flatMap(strings)
            case .object(let fields): fields.keys.sorted().flatMap { strings(fields[$0]!) }
            default: []
            }
        }
    }

    init(_ arguments: [String] = []) throws {
        let output: Int32
        (process, output) = try ChildProcess.piped(childReads: false) { end throws(ChildProcess.SpawnFailure) in
            try ChildProcess.spawn("/usr/bin/env", ["python3", Self.script.path, "--exit-after", "60"] + arguments,
                                   stdout: .descriptor(end))
        }
        let line = FileHandle(fileDescriptor: output, closeOnDealloc: true).readLine()
        guard let port = Int(line) else { throw ReceiverError(description: "the receiver did not print its port: '\(line)'") }
        self.port = port
    }

    struct ReceiverError: Error, CustomStringConvertible { var description: String }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func received() async throws -> [Received] {
        let response = try await HTTPClient().send(HTTPRequest(url: url("/received")))
        let items = try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]] ?? []
        return items.map { item in
            Received(path: item["path"] as? String ?? "", answered: item["answered"] as? Int ?? 0,
                     problems: item["problems"] as? [String] ?? [], raw: item["raw"] as? String ?? "",
                     body: (try? JSON(parsing: item["raw"] as? String ?? "")) ?? .null,
                     authorization: (item["headers"] as? [String: String])?["authorization"])
        }
    }

    func stop() {
        process.stop()
    }
}

extension FileHandle {
    /// The first line written, without its newline.
    func readLine() -> String {
        var bytes = Data()
        while let byte = try? read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
