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
}
