/// The API server builds many patch error messages with Go's `%v` and reflect type names;
/// these render a `JSON` value the same way so KubeSim's messages match byte for byte.
extension JSON {
    /// Go's `%v` of the value decoded into `interface{}`: `map[k:v]` with sorted keys, `[a b]`, `<nil>`.
    var goDescription: String {
        switch self {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number):
            number == number.rounded() && abs(number) < 1e21 ? String(Int64(number)) : "\(number)"
        case .string(let text): text
        case .array(let items): "[" + items.map(\.goDescription).joined(separator: " ") + "]"
        case .object(let fields):
            "map[" + fields.keys.sorted().map { "\($0):\(fields[$0]!.goDescription)" }.joined(separator: " ") + "]"
        }
    }

    /// Go's reflect type name of the decoded value.
    var goTypeName: String {
        switch self {
        case .null: "<nil>"
        case .bool: "bool"
        case .int: "int64"
        case .double: "float64"
        case .string: "string"
        case .array: "[]interface {}"
        case .object: "map[string]interface {}"
        }
    }

    /// encoding/json's word for the value in "cannot unmarshal … into Go value of type …".
    var jsonKindName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
