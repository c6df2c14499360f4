import MedicKube
import Yams

/// Turns a patched object back into YAML that looks like the document it came from: keys in
/// their original order (new ones after them), unchanged values with their original node
/// (quoting, flow or block style), list elements matched by `name` or position.
enum YAMLRebuild {
    /// Yams' composer does not keep a collection's flow or block style; the source text
    /// does. Marks `{…}` and `[…]` collections flow again, so they are written as they were.
    static func withSourceStyles(_ node: Node, text: String) -> Node {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        func opens(_ mark: Mark?, with bracket: Character) -> Bool {
            guard let mark, mark.line >= 1, mark.line <= lines.count else { return false }
            let line = lines[mark.line - 1]
            return mark.column >= 1 && mark.column <= line.count && line[mark.column - 1] == bracket
        }
        func restyle(_ node: Node) -> Node {
            switch node {
            case .mapping(var mapping):
                mapping = Node.Mapping(mapping.map { ($0, restyle($1)) }, mapping.tag,
                                       opens(mapping.mark, with: "{") ? .flow : mapping.style, mapping.mark)
                return .mapping(mapping)
            case .sequence(let sequence):
                return .sequence(Node.Sequence(sequence.map(restyle), sequence.tag,
                                               opens(sequence.mark, with: "[") ? .flow : sequence.style, sequence.mark))
            default:
                return node
            }
        }
        return restyle(node)
    }

    static func node(_ original: Node, as value: JSON) -> Node {
        if let unchanged = try? JSON(yaml: original), unchanged == value { return original }
        switch (original, value) {
        case (.mapping(let mapping), .object(let fields)):
            var pairs: [(Node, Node)] = []
            var seen: Set<String> = []
            for (key, child) in mapping {
                guard let name = key.string, let new = fields[name] else { continue }
                seen.insert(name)
                pairs.append((key, node(child, as: new)))
            }
            for name in fields.keys.sorted() where !seen.contains(name) {
                pairs.append((scalar(.string(name)), fresh(fields[name]!)))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style))
        case (.sequence(let sequence), .array(let items)):
            let nodes = items.enumerated().map { index, item in
                counterpart(of: item, at: index, in: Array(sequence)).map { node($0, as: item) } ?? fresh(item)
            }
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style))
        default:
            return fresh(value)
        }
    }

    /// The original element an item is the new version of: the one with its `name`, or for
    /// unnamed elements the one at its position.
    private static func counterpart(of item: JSON, at index: Int, in nodes: [Node]) -> Node? {
        if let name = item["name"] {
            return nodes.first { (try? JSON(yaml: $0))?["name"] == name }
        }
        return index < nodes.count ? nodes[index] : nil
    }

    private static func fresh(_ value: JSON) -> Node {
        switch value {
        case .object(let fields):
            return .mapping(Node.Mapping(fields.keys.sorted().map { (scalar(.string($0)), fresh(fields[$0]!)) }))
        case .array(let items):
            return .sequence(Node.Sequence(items.map(fresh)))
        default:
            return scalar(value)
        }
    }

    /// A scalar that reads back as the same type: a string that would read as a number,
    /// boolean or null (`"0"`, `"true"`) is quoted.
    private static func scalar(_ value: JSON) -> Node {
        switch value {
        case .string(let text):
            let style: Node.Scalar.Style = Resolver.default.resolveTag(of: .scalar(Node.Scalar(text))) == .str ? .any : .doubleQuoted
            return .scalar(Node.Scalar(text, Tag(.str), style))
        case .int(let number): return .scalar(Node.Scalar(String(number)))
        case .double(let number): return .scalar(Node.Scalar(String(number)))
        case .bool(let flag): return .scalar(Node.Scalar(flag ? "true" : "false"))
        default: return .scalar(Node.Scalar("null"))
        }
    }
}
