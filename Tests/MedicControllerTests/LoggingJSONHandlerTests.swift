import Foundation
import Logging
import MedicController
import Testing

struct LoggingJSONHandlerTests {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var all: [String] = []
        func append(_ line: String) { lock.withLock { all.append(line) } }
    }

    @Test func oneLinePerEventWithFixedFieldsFirstAndTypedMetadata() {
        let lines = Lines()
        var logger = Logger(label: "medic") { label in
            LoggingJSONHandler(label: label, clock: { Date(timeIntervalSince1970: 1_800_000_000.25) }, write: lines.append)
        }
        logger[metadataKey: "replica"] = "a"
        logger.info("pass finished", metadata: [
            "findings": .stringConvertible(2), "ok": .stringConvertible(true), "seconds": .stringConvertible(0.5),
            "actions": ["scale=failed"], "message": "clash", "note": "line one\nsaid \"hi\"\t\u{1}",
            "target": ["kind": "Deployment", "name": "web"],
        ])
        logger.debug("not written at the default level")
        #expect(lines.all == [
            #"{"time":"2027-01-15T08:00:00.250000Z","level":"info","logger":"medic","message":"pass finished","#
                + #""_message":"clash","actions":["scale=failed"],"findings":2,"note":"line one\nsaid \"hi\"\t\u0001","#
                + #""ok":true,"replica":"a","seconds":0.5,"target":{"kind":"Deployment","name":"web"}}"# + "\n",
        ])
    }

    /// The one door every log line passes: a secret in an error's text is masked, and a C1
    /// control (CSI, U+009B) is escaped, so `kubectl logs` on a terminal shows it, inert.
    @Test func secretsAreMaskedAndTerminalControlsEscaped() throws {
        let lines = Lines()
        let logger = Logger(label: "medic") { label in
            LoggingJSONHandler(label: label, clock: { Date(timeIntervalSince1970: 0) }, write: lines.append)
        }
        logger.error("pass error", metadata: [
            "error": "cannot dial postgres://orders:hunter2@db:5432/orders: \u{9b}2J refused",
            "warnings": ["DB_PASSWORD=hunter2"],
        ])
        let line = try #require(lines.all.first)
        #expect(!line.contains("hunter2"))
        #expect(line.contains(#"postgres://orders:****@db:5432/orders: \u009b2J refused"#))
        #expect(line.contains(#""warnings":["DB_PASSWORD=****"]"#))
        let decoded = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect((decoded?["error"] as? String)?.contains("\u{9b}2J") == true, "still valid JSON, the same text")
    }
}
