import Foundation
import Testing

@testable import MedicRunbook

@Suite struct CELValueTests {
    @Test func renderedScalars() {
        #expect(CELValue.int(3).renderedString == "3")
        #expect(CELValue.int(-12).renderedString == "-12")
        #expect(CELValue.double(0.93).renderedString == "0.93")
        #expect(CELValue.double(2.0).renderedString == "2")
        #expect(CELValue.double(0.1 + 0.2).renderedString == "0.30000000000000004")
        #expect(CELValue.double(1e21).renderedString == "1e+21")
        #expect(CELValue.double(.nan).renderedString == "NaN")
        #expect(CELValue.double(-.infinity).renderedString == "-Infinity")
        #expect(CELValue.string("as is \"quoted\"").renderedString == "as is \"quoted\"")
        #expect(CELValue.null.renderedString == "null")
        #expect(CELValue.bool(false).renderedString == "false")
        #expect(CELValue.timestamp(Date(timeIntervalSince1970: 1_714_564_800)).renderedString == "2024-05-01T12:00:00Z")
        #expect(CELValue.duration(90).renderedString == "1m30s")
    }

    @Test func renderedCollectionsAreCompactJSONWithSortedKeys() {
        let value: CELValue = [
            "b": [1, 2.5, "x\"y\n", nil, true],
            "a": ["when": .timestamp(Date(timeIntervalSince1970: 0)), "for": .duration(300)],
            "c": .double(.infinity),
            "d": "\u{01}",
        ]
        #expect(
            value.renderedString
                == #"{"a":{"for":"5m","when":"1970-01-01T00:00:00Z"},"b":[1,2.5,"x\"y\n",null,true],"c":"Infinity","d":"\u0001"}"#
        )
        #expect(CELValue.list([]).json == "[]")
        #expect(CELValue.map([:]).json == "{}")
        #expect(CELValue.string("s").json == #""s""#)
    }

    @Test func typeNames() {
        let values: [CELValue] = [nil, true, 1, 1.5, "s", [], [:], .timestamp(Date()), .duration(1)]
        #expect(
            values.map(\.typeName) == [
                "null_type", "bool", "int", "double", "string", "list", "map", "google.protobuf.Timestamp",
                "google.protobuf.Duration",
            ])
    }

    @Test func literalsBuildValues() {
        let value: CELValue = ["n": 1, "xs": [true, nil, 2.5, "s"]]
        #expect(value == .map(["n": .int(1), "xs": .list([.bool(true), .null, .double(2.5), .string("s")])]))
    }
}
