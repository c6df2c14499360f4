import Foundation

/// A JSON document written the way Go's `encoding/json` writes maps, because kubectl's patch
/// bodies come from `json.Marshal` of `map[string]interface{}`: keys sorted bytewise, no
/// spaces, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`-style sequences. Matching
/// that byte for byte lets tests compare medic's bodies with the ones kubectl was seen to send.
indirect enum JSONValue: Sendable, Hashable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case null

    var encoded: String {
        var out = ""
        write(to: &out)
        return out
    }

    var data: Data { Data(encoded.utf8) }

    private func write(to out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted(by: Self.goOrder).enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .string(let string):
            Self.writeString(string, to: &out)
        case .int(let number):
            out += String(number)
        case .null:
            out += "null"
        }
    }

    /// Go sorts map keys by their bytes, which is UTF-8 order, not Swift's `String` order.
    static func goOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func writeString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += unicodeEscape(scalar)
            default:
                if scalar.value < 0x20 {
                    out += unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
