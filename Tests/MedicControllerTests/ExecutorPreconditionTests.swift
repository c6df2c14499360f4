import MedicKube
import Foundation
@testable import MedicController
import Testing

@Suite("optimistic concurrency precondition")
struct ExecutorPreconditionTests {
    @Test("a strategic or merge patch gets metadata.resourceVersion spliced in front, the rest byte for byte")
    func mergePatch() throws {
        let body = Data(#"{"spec":{"replicas":3}}"#.utf8)
        let result = try #require(Executor.precondition(body, contentType: "application/merge-patch+json", resourceVersion: "42"))
        #expect(String(decoding: result, as: UTF8.self) == #"{"metadata":{"resourceVersion":"42"},"spec":{"replicas":3}}"#)
    }

    @Test("a JSON Patch gets a test operation first")
    func jsonPatch() throws {
        let body = Data(#"[{"op":"replace","path":"/spec/replicas","value":2}]"#.utf8)
        let result = try #require(Executor.precondition(body, contentType: "application/json-patch+json", resourceVersion: "7"))
        #expect(String(decoding: result, as: UTF8.self)
            == #"[{"op":"test","path":"/metadata/resourceVersion","value":"7"},{"op":"replace","path":"/spec/replicas","value":2}]"#)
    }

    @Test("a body that already names metadata gets the resourceVersion inside it: every patch carries one")
    func existingMetadata() throws {
        let body = Data(#"{"metadata":{"labels":{"a":"b"}}}"#.utf8)
        let result = try #require(Executor.precondition(body, contentType: "application/merge-patch+json", resourceVersion: "1"))
        #expect(String(decoding: result, as: UTF8.self) == #"{"metadata":{"labels":{"a":"b"},"resourceVersion":"1"}}"#)
    }

    @Test("a body the precondition cannot be added to gives nil, so nothing is sent")
    func unguardable() {
        #expect(Executor.precondition(Data("not json".utf8), contentType: "application/merge-patch+json", resourceVersion: "1") == nil)
        #expect(Executor.precondition(Data(#"{"metadata":"x"}"#.utf8), contentType: "application/merge-patch+json", resourceVersion: "1") == nil)
        #expect(Executor.precondition(Data(#"{"op":"add"}"#.utf8), contentType: "application/json-patch+json", resourceVersion: "1") == nil)
    }

    @Test("a DELETE gets DeleteOptions' preconditions, uid and resourceVersion, before its other options")
    func deletePreconditions() throws {
        let body = Data("{\"propagationPolicy\":\"Background\"}\n".utf8)
        let result = try #require(Executor.deletePrecondition(body, resourceVersion: "9", uid: "u-1"))
        #expect(String(decoding: result, as: UTF8.self)
            == "{\"preconditions\":{\"uid\":\"u-1\",\"resourceVersion\":\"9\"},\"propagationPolicy\":\"Background\"}\n")
        let empty = try #require(Executor.deletePrecondition(Data("{}".utf8), resourceVersion: "9", uid: "u-1"))
        #expect(String(decoding: empty, as: UTF8.self) == #"{"preconditions":{"uid":"u-1","resourceVersion":"9"}}"#)
        // Without the object's uid, or with a body that is not DeleteOptions, nothing is sent.
        #expect(Executor.deletePrecondition(body, resourceVersion: "9", uid: nil) == nil)
        #expect(Executor.deletePrecondition(Data("[]".utf8), resourceVersion: "9", uid: "u-1") == nil)
    }
}
