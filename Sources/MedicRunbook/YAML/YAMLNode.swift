import Yams

/// A parsed YAML node that remembers where it came from, so every later check can point at
/// `file:line:col`. Converted from Yams' node tree once, because that tree is not `Sendable`
/// and loses the path we need for messages.
public struct YAMLNode: Sendable {
    /// How a scalar was written; needed to map an offset inside it back to a file column.
    public enum ScalarStyle: Sendable { case plain, quoted, block }

    public enum Content: Sendable {
        case scalar(String, style: ScalarStyle)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public var content: Content
    public var file: String
    public var line: Int
    public var column: Int
    /// Field path from the document root, e.g. `remediate[1].actions[0].container`.
    public var path: String

    /// Parses one YAML document. An empty document is an error: a rule file must say something.
    public static func parse(_ text: String, file: String) throws(LoadError) -> YAMLNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw LoadError(yaml: error, file: file)
        } catch {
            throw LoadError(file: file, line: 1, column: 1, field: "", message: "\(error)")
        }
        guard let node else {
            throw LoadError(file: file, line: 1, column: 1, field: "", message: "the file is empty")
        }
        return YAMLNode(node, file: file, path: "")
    }

    private init(_ node: Node, file: String, path: String) {
        self.file = file
        self.line = node.mark?.line ?? 1
        self.column = node.mark?.column ?? 1
        self.path = path
        switch node {
        case .scalar(let scalar):
            let style: ScalarStyle = switch scalar.style {
            case .singleQuoted, .doubleQuoted: .quoted
            case .literal, .folded: .block
            default: .plain
            }
            content = .scalar(scalar.string, style: style)
        case .sequence(let sequence):
            content = .sequence(sequence.enumerated().map { index, element in
                YAMLNode(element, file: file, path: "\(path)[\(index)]")
            })
        case .mapping(let mapping):
            content = .mapping(mapping.map { key, value in
                let name = key.string ?? "?"
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                return (YAMLNode(key, file: file, path: childPath), YAMLNode(value, file: file, path: childPath))
            })
        case .alias(let alias):
            content = .scalar(alias.anchor.rawValue, style: .plain)
        }
    }

    /// An error pointing at this node.
    public func error(_ message: String) -> LoadError {
        LoadError(file: file, line: line, column: column, field: path, message: message)
    }

    var kindName: String {
        switch content {
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

extension LoadError {
    init(yaml error: YamlError, file: String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            self.init(file: file, line: mark.line, column: mark.column, field: "", message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            self.init(file: file, line: 1, column: 1, field: "",
                      message: "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            self.init(file: file, line: 1, column: 1, field: "", message: "invalid YAML: \(error)")
        }
    }
}
