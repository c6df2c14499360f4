import Foundation
import KubeSim
import Testing
@testable import MedicKube

@Suite struct TapeDecoderTests {
    private static func tape<T: Decodable>(_ type: T.Type, _ text: String, reader: TapeReader = TapeReader()) -> T? {
        Data(text.utf8).withUnsafeBytes { reader.decode(T.self, from: $0) }
    }

    private static func foundation<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? KubeJSON.makeDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// The decoded models of every item of every fixture List, by the tape and by `JSONDecoder`.
    private static func items() throws -> [(name: String, tape: AnyHashable?, foundation: AnyHashable?)] {
        func both<T: Decodable & Hashable>(_ type: T.Type, _ data: Data, _ reader: TapeReader) -> (AnyHashable?, AnyHashable?) {
            (data.withUnsafeBytes { reader.decode(T.self, from: $0) }.map(AnyHashable.init),
             (try? KubeJSON.makeDecoder().decode(T.self, from: data)).map(AnyHashable.init))
        }
        var result: [(String, AnyHashable?, AnyHashable?)] = []
        for file in SnapshotListDecoderTests.files {
            let document = try Data(contentsOf: file)
            guard let list = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
                  let items = list["items"] as? [[String: Any]] else { continue }
            // One sharing reader per file, as a snapshot's decode uses one per part.
            let reader = TapeReader(sharedFor: document.count)
            for (position, item) in items.enumerated() {
                for data in [try JSONSerialization.data(withJSONObject: item, options: [.prettyPrinted]),
                             try JSONSerialization.data(withJSONObject: item)] {
                    let name = "\(file.lastPathComponent) item \(position)"
                    switch item["kind"] as? String {
                    case "Pod": let (a, b) = both(Pod.self, data, reader); result.append((name, a, b))
                    case "Deployment": let (a, b) = both(Deployment.self, data, reader); result.append((name, a, b))
                    case "ReplicaSet": let (a, b) = both(ReplicaSet.self, data, reader); result.append((name, a, b))
                    case "Service": let (a, b) = both(Service.self, data, reader); result.append((name, a, b))
                    case "Endpoints": let (a, b) = both(Endpoints.self, data, reader); result.append((name, a, b))
                    case "Event": let (a, b) = both(Event.self, data, reader); result.append((name, a, b))
                    case "StatefulSet": let (a, b) = both(StatefulSet.self, data, reader); result.append((name, a, b))
                    case "DaemonSet": let (a, b) = both(DaemonSet.self, data, reader); result.append((name, a, b))
                    case "Job": let (a, b) = both(Job.self, data, reader); result.append((name, a, b))
                    default: let (a, b) = both(JSON.self, data, reader); result.append((name, a, b))
                    }
                }
            }
        }
        return result
    }

    @Test func everyFixtureItemDecodesFromItsTapeAsJSONDecoderDecodesIt() throws {
        let items = try Self.items()
        #expect(items.count > 500)
        for item in items {
            // Fixtures are what API servers write: nothing JSONDecoder reads is left to it (a
            // few fixtures are broken on purpose; neither reads those).
            #expect((item.tape != nil) == (item.foundation != nil), "\(item.name) was left to JSONDecoder")
            #expect(item.tape == item.foundation, "\(item.name)")
        }
    }

    @Test func numbersAreReadAsJSONDecoderReadsThemOrLeftToIt() {
        struct Port: Decodable, Equatable { var port: Int }
        #expect(Self.tape(Port.self, #"{"port": 8080}"#) == Port(port: 8080))
        #expect(Self.tape(Port.self, #"{"port": -0}"#) == Port(port: 0))
        #expect(Self.tape(Int64.self, "-9223372036854775808") == Int64.min)
        // JSONDecoder reads these as integers too; the tape leaves them to it.
        for text in [#"{"port": 8080.0}"#, #"{"port": 1e3}"#, #"{"port": 99999999999999999999}"#] {
            #expect(Self.tape(Port.self, text) == nil, "\(text)")
        }
        #expect(Self.foundation(Port.self, #"{"port": 8080.0}"#) == Port(port: 8080))
        #expect(Self.tape(UInt8.self, "300") == nil)
        #expect(Self.tape(Double.self, "2.5e-3") == 0.0025)
        #expect(Self.tape(JSON.self, #"[1, "a", true, null, {"b": [false]}]"#)
            == Self.foundation(JSON.self, #"[1, "a", true, null, {"b": [false]}]"#))
    }

    @Test func aModelThatCatchesALeftToJSONDecoderErrorStillGetsJSONDecodersAnswer() {
        // IntOrString tries Int, then String: had the tape's refusal of 80.0 only thrown, the
        // model would have failed where JSONDecoder reads .int(80).
        #expect(Self.tape(IntOrString.self, "80.0") == nil)
        #expect(Self.foundation(IntOrString.self, "80.0") == .int(80))
        #expect(Self.tape(IntOrString.self, #""http""#) == .string("http"))
    }

    @Test func stringsKeepTheirEscapesAndUnicode() {
        for text in [#""caf\u00e9 \ud83d\ude80 \"q\" \\ \/ \n\t""#, #""naïve 🚀""#, #""""#] {
            #expect(Self.tape(String.self, text) != nil, "\(text)")
            #expect(Self.tape(String.self, text) == Self.foundation(String.self, text), "\(text)")
        }
    }

    @Test func whatJSONDecoderRefusesTheTapeRefusesToo() {
        let refused = [
            #""\ud83d""#,            // a lone high surrogate
            #""\ude80""#,            // a lone low surrogate
            #""\x""#,                // an unknown escape
            "\"tab\there\"",         // a raw control character
            "[1 2]", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "[1] x", "",
            String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
        ]
        for text in refused {
            #expect(Self.tape(JSON.self, text) == nil, "\(text.prefix(40))")
            #expect(Self.foundation(JSON.self, text) == nil, "\(text.prefix(40))")
        }
        // JSONDecoder reads a trailing comma; the tape leaves that to it.
        for text in ["[1,]", "{\"a\":1,}"] {
            #expect(Self.tape(JSON.self, text) == nil)
            #expect(Self.foundation(JSON.self, text) != nil)
        }
        let invalidUTF8 = Data([0x22, 0xC3, 0x28, 0x22])
        #expect(invalidUTF8.withUnsafeBytes { TapeReader().decode(String.self, from: $0) } == nil)
        #expect((try? JSONDecoder().decode(String.self, from: invalidUTF8)) == nil)
    }

    @Test func aKeyWrittenTwiceIsLeftToJSONDecoder() {
        struct Named: Decodable, Equatable { var name: String }
        #expect(Self.tape(Named.self, #"{"name": "a", "name": "b"}"#) == nil)
        #expect(Self.tape([String: String].self, #"{"k": "a", "k": "b"}"#) == nil)
        #expect(Self.foundation(Named.self, #"{"name": "a", "name": "b"}"#) == Named(name: "a"))
        // A key read with its escapes matches.
        #expect(Self.tape(Named.self, #"{"n\u0061me": "a"}"#) == Named(name: "a"))
    }

    @Test func timestampsAreReadAsTheKubeDecodersStrategyReadsThem() {
        struct Stamped: Decodable, Equatable { var at: Date }
        let text = #"{"at": "2024-05-01T10:00:00Z"}"#
        #expect(Self.tape(Stamped.self, text) != nil)
        #expect(Self.tape(Stamped.self, text) == Self.foundation(Stamped.self, text))
        #expect(Self.tape(Stamped.self, #"{"at": "yesterday"}"#) == nil)
    }

    @Test func sharedValuesAreEqualValuesAndACollisionIsNeverAWrongOne() {
        let reader = TapeReader(sharedFor: 1_000)
        let pods = (0..<3).map { index in
            #"{"metadata": {"name": "web-\#(index)", "labels": {"app.kubernetes.io/name": "web"}}, "spec": {"containers": [{"name": "web", "image": "registry.example.com/web:1.2.3", "env": [{"name": "MODE", "value": "production"}]}]}}"#
        }
        // The bytes stay alive for the reader's life, as a mapped snapshot's do.
        let documents = pods.map { Data($0.utf8) }
        let decoded = documents.map { data in data.withUnsafeBytes { reader.decode(Pod.self, from: $0) } }
        for (data, pod) in zip(documents, decoded) {
            #expect(pod != nil)
            #expect(pod == (try? KubeJSON.makeDecoder().decode(Pod.self, from: data)))
        }

        var shared = SharedValues(bytes: 1_000)
        let first = Array("first value, more than fifteen bytes".utf8)
        let other = Array("other value, more than fifteen bytes".utf8)
        first.withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                let key = SharedValues.key(String.self, bytes: a.baseAddress!, count: a.count)
                shared.keep("first", key: key, bytes: a.baseAddress!, count: a.count)
                shared.keep("first", key: key, bytes: a.baseAddress!, count: a.count)
                #expect(shared.value(String.self, key: key, bytes: a.baseAddress!, count: a.count) == "first")
                // The same key for other bytes (a collision): no value, not the wrong one.
                #expect(shared.value(String.self, key: key, bytes: b.baseAddress!, count: b.count) == nil)
                #expect(shared.value(Int.self, key: key, bytes: a.baseAddress!, count: a.count) == nil)
            }
        }
    }

    /// Fixture items changed at random (a number made a fraction, a key doubled, an escape, a
    /// byte dropped): the tape decodes each as JSONDecoder does, or leaves it to it.
    @Test func mutatedItemsDecodeAsJSONDecoderDoesOrAreLeftToIt() throws {
        let file = try #require(SnapshotListDecoderTests.files.first { $0.lastPathComponent == "snapshot.json" })
        let list = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: file)) as? [String: Any])
        let pods = try (list["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "Pod" }
            .map { try JSONSerialization.data(withJSONObject: $0) }
        try #require(!pods.isEmpty)
        var random = SplitMix64(name: "tape-mutations")
        let edits: [(inout [UInt8], Int) -> Void] = [
            { bytes, at in bytes.remove(at: at) },
            { bytes, at in bytes.insert(contentsOf: Array(".0".utf8), at: at) },
            { bytes, at in bytes.insert(contentsOf: Array(#""name":"x","#.utf8), at: at) },
            { bytes, at in bytes.insert(contentsOf: Array(#"\u00e9"#.utf8), at: at) },
            { bytes, at in bytes[at] = UInt8(truncatingIfNeeded: random.next()) },
        ]
        var agreed = 0
        for trial in 0..<3_000 {
            var bytes = Array(pods[trial % pods.count])
            let at = Int(random.next() % UInt64(bytes.count))
            edits[Int(random.next() % UInt64(edits.count))](&bytes, at)
            let data = Data(bytes)
            let tape = data.withUnsafeBytes { TapeReader().decode(Pod.self, from: $0) }
            let foundation = try? KubeJSON.makeDecoder().decode(Pod.self, from: data)
            if let tape {
                #expect(tape == foundation, "trial \(trial): \(String(decoding: bytes, as: UTF8.self))")
                agreed += 1
            }
        }
        // Most edits leave valid JSON the tape decodes itself.
        #expect(agreed > 500)
    }
}
