import MedicKube
import Testing
import Foundation

@Test func jsonKeepsIntsAndBools() throws {
    let json = try JSON(parsing: Data(#"{"a":1,"b":true,"c":1.5,"d":null,"e":[false,"x"]}"#.utf8))
    #expect(json == .object(["a": .int(1), "b": .bool(true), "c": .double(1.5), "d": .null, "e": .array([.bool(false), .string("x")])]))
    #expect(String(decoding: json.serialized(), as: UTF8.self) == #"{"a":1,"b":true,"c":1.5,"d":null,"e":[false,"x"]}"#)
}

@Test func decodableReadsEveryKindOfValueAsJSONSerializationDoes() throws {
    let text = #"{"s":"x","o":{"k":[1,2.5,true,null,"1",{}]},"a":[],"i":-7,"b":false,"n":null,"big":1e300}"#
    let decoded = try KubeJSON.makeDecoder().decode(JSON.self, from: Data(text.utf8))
    #expect(decoded == .object([
        "s": "x", "o": ["k": [.int(1), .double(2.5), true, nil, "1", .object([:])]], "a": .array([]),
        "i": -7, "b": false, "n": nil, "big": .double(1e300),
    ]))
    #expect(decoded == (try JSON(parsing: Data(text.utf8))))
}

@Test func serializesLikeGosJSONMarshal() {
    let json: JSON = .object(["b": .string("<a&b>\u{2028}"), "a": .int(3), "B": .null])
    // Keys by UTF-8 bytes (uppercase first), HTML characters and U+2028 escaped.
    #expect(json.text == #"{"B":null,"a":3,"b":"\u003ca\u0026b\u003e\u2028"}"#)
}
