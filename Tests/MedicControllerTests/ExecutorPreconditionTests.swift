import MedicKube
import Foundation
@testable import MedicController
import Testing

@Suite("optimistic concurrency precondition")
struct ExecutorPreconditionTests {
    @Test("a strategic or merge patch gets metadata.resourceVersion spliced in front, the rest byte for byte")
    func mergePatch() {
        let body = Data(#"{"spec":{"replicas":3}}"#.utf8)
        let result = Executor.precondition(body, contentType: "application/merge-patch+json", resourceVersion: "42")
        #expect(String(decoding: result, as: UTF8.self) == #"{"metadata":{"resourceVersion":"42"},"spec":{"replicas":3}}"#)
    }

    @Test("a JSON Patch gets a test operation first")
    func jsonPatch() {
        let body = Data(#"[{"op":"replace","path":"/spec/replicas","value":2}]"#.utf8)
        let result = Executor.precondition(body, contentType: "application/json-patch+json", resourceVersion: "7")
        #expect(String(decoding: result, as: UTF8.self)
            == #"[{"op":"test","path":"/metadata/resourceVersion","value":"7"},{"op":"replace","path":"/spec/replicas","value":2}]"#)
    }

    @Test("a body that already names metadata is left alone")
    func existingMetadata() {
        let body = Data(#"{"metadata":{"labels":{"a":"b"}}}"#.utf8)
        #expect(Executor.precondition(body, contentType: "application/merge-patch+json", resourceVersion: "1") == body)
    }
}
