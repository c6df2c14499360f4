import Foundation

/// Untyped JSON, for what typed models cannot carry: patch bodies medic sends (which must match
/// kubectl's byte for byte), a ReplicaSet's whole pod template for a rollback, and the objects
/// KubeSim stores, patches and serves. Integers and floating-point numbers stay apart so
/// `replicas: 3` is never written back as `3.0`.
public indirect enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    public init(parsing data: Data) throws {
        self = try JSON(any: JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Converts the output of `JSONSerialization` (NSNumber booleans included).
    public init(any value: Any) throws {
        switch value {
        case is NSNull: self = .null
        case let number as NSNumber:
            let type = String(cString: number.objCType)
            if type == "c" || type == "B" {
                self = .bool(number.boolValue)
            } else if type == "d" || type == "f" {
                self = .double(number.doubleValue)
            } else {
                self = .int(number.int64Value)
            }
        case let text as String: self = .string(text)
        case let array as [Any]: self = .array(try array.map(JSON.init(any:)))
        case let object as [String: Any]: self = .object(try object.mapValues(JSON.init(any:)))
        default: throw JSONError(description: "unsupported JSON value \(type(of: value))")
        }
    }

    /// Compact JSON written the way Go's `encoding/json` writes a `map[string]interface{}`: keys
    /// sorted by their UTF-8 bytes, no spaces, and `<`, `>`, `&`, U+2028, U+2029 escaped as
    /// `\u003c`-style sequences. kubectl's patch bodies come from `json.Marshal`, so medic's
    /// match them exactly, and the bytes are deterministic.
    public func serialized() -> Data {
        var output = ""
        write(to: &output)
        return Data(output.utf8)
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number):
            output += number.isFinite ? (number == number.rounded() && abs(number) < 1e15
                ? String(format: "%.1f", number) : "\(number)") : "null"
        case .string(let text): JSON.escape(text, into: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case .object(let fields):
            output += "{"
            for (index, key) in fields.keys.sorted(by: JSON.goOrder).enumerated() {
                if index > 0 { output += "," }
                JSON.escape(key, into: &output)
                output += ":"
                fields[key]!.write(to: &output)
            }
            output += "}"
        }
    }

    /// Go sorts map keys by their bytes, which is UTF-8 order, not Swift's `String` order.
    public static func goOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func escape(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value < 0x20:
                output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    public subscript(key: String) -> JSON? {
        get {
            if case .object(let fields) = self { fields[key] } else { nil }
        }
        set {
            guard case .object(var fields) = self else { return }
            fields[key] = newValue
            self = .object(fields)
        }
    }

    public var string: String? { if case .string(let text) = self { text } else { nil } }
    public var int: Int64? { if case .int(let number) = self { number } else { nil } }
    public var array: [JSON]? { if case .array(let items) = self { items } else { nil } }
    public var object: [String: JSON]? { if case .object(let fields) = self { fields } else { nil } }
}

public struct JSONError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSON {
    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    public var bool: Bool? { if case .bool(let flag) = self { flag } else { nil } }

    /// The value at a path of object keys; nil when any step is missing or not an object.
    /// Setting creates the intermediate objects, and setting nil removes the last key.
    public subscript(path path: [String]) -> JSON? {
        get {
            var current: JSON? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let first = path.first else {
                if let newValue { self = newValue }
                return
            }
            if path.count == 1 {
                self[first] = newValue
                return
            }
            var child = self[first] ?? .object([:])
            if child.object == nil { child = .object([:]) }
            child[path: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    /// The text of a serialized value, for messages and tests.
    public var text: String { String(decoding: serialized(), as: UTF8.self) }
}

/// Typed models carry the parts of an object medic only compares or shows (a pod's affinity,
/// tolerations, volumes) as JSON: decoded as they are, encoded back unchanged.
extension JSON: Codable {
    /// `Decoder` cannot say which kind of value is next, so each kind is tried in turn, and a
    /// wrong guess costs a thrown `DecodingError`. Strings and objects, most of what a pod's
    /// volumes, tolerations and affinity hold, are tried first; a JSON value is only ever
    /// one of these, so the order changes no result.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let object = try? container.decode([String: JSON].self) {
            self = .object(object)
        } else if let array = try? container.decode([JSON].self) {
            self = .array(array)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .int(number)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}
