import MedicKube
import Foundation

/// A dynamically typed value that runbook expressions read and produce.
///
/// The enriched view of a cluster is handed to rules as a tree of these, so rules never see
/// Swift types. Map keys are strings only: Kubernetes objects and JSON have no other kind of
/// key, and one key type keeps field selection (`a.b`) and indexing (`a["b"]`) the same thing.
/// `uint` is folded into `int`; `bytes` and protobuf messages do not exist here.
public indirect enum CELValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([CELValue])
    case map([String: CELValue])
    case timestamp(Date)
    /// A signed length of time in seconds.
    case duration(Double)

    /// The CEL name of the value's type, as used in error messages (`no such overload: size(int)`).
    public var typeName: String {
        switch self {
        case .null: "null_type"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        case .timestamp: "google.protobuf.Timestamp"
        case .duration: "google.protobuf.Duration"
        }
    }

    /// How the value reads inside a rendered template: strings as they are, numbers in their
    /// shortest exact form, durations like Go (`1h30m`), timestamps in RFC 3339 UTC and
    /// lists and maps as compact JSON with sorted keys.
    public var renderedString: String {
        switch self {
        case .string(let text): text
        case .list, .map: json
        default: scalarText
        }
    }

    /// Compact JSON; timestamps and durations become strings, non-finite doubles become
    /// the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, since JSON has no numbers for them.
    public var json: String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    private var scalarText: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): CELValue.format(double: value)
        case .timestamp(let date): RFC3339.format(date)
        case .duration(let seconds): CELTime.format(duration: seconds)
        case .string(let text): text
        case .list, .map: json
        }
    }

    private func writeJSON(into out: inout String) {
        switch self {
        case .string(let text):
            CELValue.writeJSONString(text, into: &out)
        case .double(let value) where !value.isFinite:
            CELValue.writeJSONString(CELValue.format(double: value), into: &out)
        case .timestamp, .duration:
            CELValue.writeJSONString(scalarText, into: &out)
        case .list(let items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                item.writeJSON(into: &out)
            }
            out.append("]")
        case .map(let entries):
            out.append("{")
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                CELValue.writeJSONString(key, into: &out)
                out.append(":")
                entries[key]!.writeJSON(into: &out)
            }
            out.append("}")
        default:
            out.append(scalarText)
        }
    }

    /// Shortest text that reads back as the same double, without a trailing `.0`.
    static func format(double value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    private static func writeJSONString(_ text: String, into out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}

extension CELValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: CELValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, CELValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
