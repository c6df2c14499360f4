import Foundation
import MedicKube
import Testing

@Suite struct SnapshotErrorTests {
    private func error(loading name: String) -> SnapshotError? {
        do {
            _ = try Snapshot.load(contentsOf: Fixture.url(name))
            return nil
        } catch {
            return error
        }
    }

    private func error(decoding json: String, source: String = "cluster.json") -> SnapshotError? {
        do {
            _ = try Snapshot.decode(Data(json.utf8), source: source)
            return nil
        } catch {
            return error
        }
    }

    @Test func wrongTypeInANestedFieldNamesItemAndPath() throws {
        let error = try #require(self.error(loading: "wrong-type.json"))
        #expect(error.code == .invalidContent)
        #expect(error.item == "items[2] (Pod production/web-7d9f-abcde)")
        #expect(error.fieldPath == "spec.containers[0].ports[0].containerPort")
        #expect(error.description.hasSuffix(
            #"wrong-type.json: items[2] (Pod production/web-7d9f-abcde): spec.containers[0].ports[0].containerPort: expected a number, found the string "http""#
        ))
    }

    @Test func missingNameInATypedList() throws {
        let error = try #require(self.error(loading: "missing-name.json"))
        #expect(error.description.hasSuffix("missing-name.json: items[1] (Pod production): metadata.name: required field is missing"))
    }

    @Test func malformedJSONGivesLineAndColumn() throws {
        let error = try #require(self.error(loading: "malformed.json"))
        #expect(error.code == .malformedJSON)
        #expect(error.line == 5)
        #expect(error.column == 24)
        #expect(error.description.hasPrefix(Fixture.url("malformed.json").relativePath + ":5:24: malformed JSON: "))
        #expect(error.description.hasSuffix(#"malformed JSON: invalid value near `"metadata": {"name": "a"`"#))
    }

    @Test func truncatedFile() throws {
        let error = try #require(self.error(decoding: "{\n  \"kind\": \"List\",\n  \"items\": [", source: "cut.json"))
        #expect(error.code == .malformedJSON)
        #expect(error.description.hasPrefix("cut.json:3:"))
        #expect(error.description.hasSuffix("(the file ends too early)"))
    }

    @Test func singleObjectErrorsNameTheObject() throws {
        let error = try #require(self.error(decoding: """
            {"kind":"Deployment","metadata":{"name":"web","namespace":"prod"},
             "spec":{"selector":{},"template":{"spec":{"containers":[]}},"replicas":"three"}}
            """))
        #expect(error.description == #"cluster.json: (Deployment prod/web): spec.replicas: expected a number, found the string "three""#)
    }

    @Test func nonStringAndNullValuesAreDescribed() throws {
        let object = try #require(self.error(decoding: """
            {"kind":"List","items":[{"kind":"Service","metadata":{"name":"s"},"spec":{"ports":{"port":80}}}]}
            """))
        #expect(object.description == "cluster.json: items[0] (Service s): spec.ports: expected an array, found an object")

        let nullName = try #require(self.error(decoding: """
            {"kind":"List","items":[{"kind":"Pod","metadata":{"name":null},"spec":{}}]}
            """))
        #expect(nullName.description == "cluster.json: items[0] (Pod): metadata.name: expected a string, found null")

        let label = try #require(self.error(decoding: """
            {"kind":"Pod","metadata":{"name":"p","labels":{"app.kubernetes.io/name":7}},"spec":{}}
            """))
        #expect(label.description == #"cluster.json: (Pod p): metadata.labels["app.kubernetes.io/name"]: expected a string, found the number 7"#)
    }

    @Test func badTimestampAndPort() throws {
        let timestamp = try #require(self.error(decoding: """
            {"kind":"Pod","metadata":{"name":"p","creationTimestamp":"yesterday"},"spec":{}}
            """))
        #expect(timestamp.description == #"cluster.json: (Pod p): metadata.creationTimestamp: expected an RFC 3339 timestamp such as "2024-05-01T10:00:00Z", found the string "yesterday""#)

        let port = try #require(self.error(decoding: """
            {"kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":true}]}}
            """))
        #expect(port.description == "cluster.json: (Service s): spec.ports[0].targetPort: expected a number or a string, found the boolean true")
    }

    @Test func missingKindInAMixedList() throws {
        let error = try #require(self.error(decoding: #"{"kind":"List","items":[{"metadata":{"name":"x","namespace":"n"}}]}"#))
        #expect(error.description == "cluster.json: items[0] (n/x): kind: required field is missing")
    }

    @Test func unreadableFile() throws {
        let error = try #require(self.error(loading: "does-not-exist.json"))
        #expect(error.code == .unreadableFile)
        #expect(error.description.contains("does-not-exist.json: no such file; expected a snapshot: one JSON file"))
    }
}
