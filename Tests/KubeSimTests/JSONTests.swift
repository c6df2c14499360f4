import Testing
import Foundation
@testable import KubeSim
@Test func jsonKeepsIntsAndBools() throws {
    let json = try JSON(parsing: Data(#"{"a":1,"b":true,"c":1.5,"d":null,"e":[false,"x"]}"#.utf8))
    #expect(json == .object(["a": .int(1), "b": .bool(true), "c": .double(1.5), "d": .null, "e": .array([.bool(false), .string("x")])]))
    #expect(String(decoding: json.serialized(), as: UTF8.self) == #"{"a":1,"b":true,"c":1.5,"d":null,"e":[false,"x"]}"#)
}
