import Yams

extension JSON {
    /// A YAML node as the API server would read it: scalars keep their resolved types, so
    /// `replicas: 3` is an integer and `"3"` a string. Throws on aliases, which manifests
    /// never need and Kubernetes' YAML reader expands in ways medic does not reproduce.
    public init(yaml node: Node) throws(YAMLAliasError) {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: self = .null
            case Tag.Name.bool.rawValue: self = .bool(node.bool ?? false)
            case Tag.Name.int.rawValue: self = node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
            case Tag.Name.float.rawValue: self = node.float.map { .double($0) } ?? .string(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSON] = []
            for item in sequence { items.append(try JSON(yaml: item)) }
            self = .array(items)
        case .mapping(let mapping):
            var fields: [String: JSON] = [:]
            for (key, value) in mapping { fields[key.string ?? ""] = try JSON(yaml: value) }
            self = .object(fields)
        case .alias:
            throw YAMLAliasError()
        }
    }
}

public struct YAMLAliasError: Error, Sendable, CustomStringConvertible {
    public var description: String { "YAML aliases are not supported" }
}
