import Foundation
import Testing
@testable import MedicKube

@Suite struct SnapshotListDecoderTests {
    /// Every snapshot the test suites use, and the CloudMart example.
    static let files: [URL] = {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let directories = ["MedicKubeTests/Fixtures", "MedicDiagnosisTests/Fixtures"].map { tests.appendingPathComponent($0) }
        let fixtures = directories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix("client-") }
                .sorted()
                .map { directory.appendingPathComponent($0) }
        }
        return fixtures + [tests.deletingLastPathComponent().appendingPathComponent("docs/examples/cloudmart/snapshot.json")]
    }()

    /// The document with no whitespace between tokens, as API servers send it.
    static func compact(_ data: Data) -> Data {
        var output = Data(capacity: data.count)
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                output.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                output.append(byte)
            } else if ![0x20, 0x0A, 0x0D, 0x09].contains(byte) {
                output.append(byte)
            }
        }
        return output
    }

    private static func whole(_ data: Data) -> Snapshot? {
        try? KubeJSON.makeDecoder().decode(SnapshotDocument.self, from: data).snapshot
    }

    private static func itemAtATime(_ data: Data) -> Snapshot? {
        data.withUnsafeBytes { SnapshotListDecoder.decode($0) }
    }

    private static func isList(_ data: Data) -> Bool {
        let kind = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["kind"] as? String
        return kind?.hasSuffix("List") == true
    }

    @Test func everyFixtureDecodesAsTheWholeDocumentDoesIndentedAndCompact() throws {
        #expect(Self.files.count > 25)
        var lists = 0
        for file in Self.files {
            let indented = try Data(contentsOf: file)
            for data in [indented, Self.compact(indented)] {
                let expected = Self.whole(data)
                let streamed = Self.itemAtATime(data)
                if expected != nil, Self.isList(data) {
                    lists += 1
                    #expect(streamed != nil, "\(file.lastPathComponent) fell back to the whole-document decode")
                    #expect(streamed == expected, "\(file.lastPathComponent)")
                } else {
                    // Single objects and broken files are left to the whole-document decode.
                    #expect(streamed == nil, "\(file.lastPathComponent)")
                }
            }
        }
        #expect(lists > 40)
    }

    @Test func loadingAFileGivesTheSameSnapshotAsDecodingItsBytes() throws {
        let file = try #require(Self.files.first { $0.lastPathComponent == "snapshot.json" })
        let data = try Data(contentsOf: file)
        let loaded = try Snapshot.load(contentsOf: file)
        #expect(loaded == Self.whole(data))
        #expect(loaded.pods.count > 10)
    }

    @Test func aTypedListWhoseKindComesAfterItsItems() throws {
        // kubectl sorts keys: `items` precedes `kind`, so the element kind is known only at the end.
        let json = #"{"apiVersion":"v1","items":[{"metadata":{"name":"a","namespace":"n"},"spec":{"containers":[]}}],"kind":"PodList","metadata":{"annotations":{"medic.io/captured-at":"2026-11-20T03:00:00Z"}}}"#
        let snapshot = try #require(Self.itemAtATime(Data(json.utf8)))
        #expect(snapshot.pods.map(\.metadata.name) == ["a"])
        #expect(snapshot.pods.first?.kind == "Pod")
        #expect(snapshot.pods.first?.apiVersion == "v1")
        #expect(snapshot.capturedAt == RFC3339.parse("2026-11-20T03:00:00Z"))
        #expect(snapshot == Self.whole(Data(json.utf8)))
    }

    @Test func shapesItDoesNotHandleAreLeftToTheWholeDocument() throws {
        let cases = [
            #"{"kind":"List","kind":"List","items":[]}"#,  // a key given twice
            #"{"k\u0069nd":"List","items":[]}"#,  // an escaped key
            #"{"kind":"List","items":{}}"#,  // items not an array
            #"{"kind":"List","items":[]} x"#,  // text after the document
            #"[{"kind":"List","items":[]}]"#,  // not an object
            #"{"kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[]}}"#,  // a single object
        ]
        for json in cases {
            #expect(Self.itemAtATime(Data(json.utf8)) == nil, "\(json)")
        }
        // What the whole-document decode makes of them is what `Snapshot.decode` answers.
        let single = try Snapshot.decode(Data(cases[5].utf8), source: "pod.json")
        #expect(single.pods.map(\.metadata.name) == ["a"])
        #expect(throws: SnapshotError.self) { try Snapshot.decode(Data(cases[2].utf8), source: "x.json") }
        #expect(throws: SnapshotError.self) { try Snapshot.decode(Data(cases[3].utf8), source: "x.json") }
    }

    @Test func nullItemsIsAnEmptyList() throws {
        let snapshot = try #require(Self.itemAtATime(Data(#"{"kind":"List","items":null}"#.utf8)))
        #expect(snapshot == Snapshot())
    }

    @Test func syntaxErrorsInCompactJSONGiveLineAndColumn() throws {
        // Inside an item, and in a member after the items, which the item-at-a-time pass reads last.
        let inItem = #"{"apiVersion":"v1","items":[{"kind":"Pod","metadata":{"name":"a" "x"}}],"kind":"List"}"#
        let afterItems = #"{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""]}"#
        for (json, column) in [(inItem, 66), (afterItems, 77)] {
            #expect(Self.itemAtATime(Data(json.utf8)) == nil)
            let error = try #require(throws: SnapshotError.self) { try Snapshot.decode(Data(json.utf8), source: "c.json") }
            #expect(error.code == .malformedJSON)
            #expect(error.line == 1)
            #expect(error.column == column, "\(json)")
            #expect(error.description.hasPrefix("c.json:1:\(column): malformed JSON: "))
        }
    }

    @Test func contentErrorsInCompactJSONNameTheItemAndField() throws {
        let indented = try Data(contentsOf: Fixture.url("wrong-type.json"))
        let compact = Self.compact(indented)
        #expect(Self.itemAtATime(compact) == nil)
        let error = try #require(throws: SnapshotError.self) { try Snapshot.decode(compact, source: "wrong-type.json") }
        #expect(error.description ==
            #"wrong-type.json: items[2] (Pod production/web-7d9f-abcde): spec.containers[0].ports[0].containerPort: expected a number, found the string "http""#)
    }

    @Test func pagesGivenBackAreReadAgainFromTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = Data((0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: url)
        let file = try #require(MappedFile(path: url.path))
        file.release(0..<file.count)
        file.release(100..<9000)
        #expect(file.withUnsafeBytes { Data($0) } == bytes)
        #expect(MappedFile(path: url.deletingLastPathComponent().path) == nil)
    }
}
