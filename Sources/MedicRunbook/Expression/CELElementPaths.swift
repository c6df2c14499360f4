/// Field chains that go through list elements, for `medic lint` to check against the view's
/// schema what `fieldPaths` cannot: fields of macro variables (`c` in
/// `workload.containers.exists(c, c.lastTermination.reason == …)`) and of indexed or filtered
/// elements (`failing[0].reason`, `c.probes.filter(p, …)[0].port`).
///
/// A chain is written as field names with `"[]"` for "an element of": the macro variable `c`
/// above becomes `["workload", "containers", "[]"]`, so its field reads
/// `["workload", "containers", "[]", "lastTermination", "reason"]`. A macro variable whose range
/// is not such a chain (a literal list, a `map` result) has no chain, and nothing through it is listed.
extension CELExpression {
    /// Every chain that contains `"[]"`, longest form only, in order of first appearance.
    public var elementPaths: [[String]] {
        var walk = ElementPathWalk()
        walk.collect(root, bound: [:])
        return walk.paths
    }

    /// The chain the whole expression is, when it is one (`c.probes.filter(p, p.refused)[0]`
    /// gives `["c", "probes", "[]"]`): what a `let` value's type follows from. nil otherwise.
    public var resultPath: [String]? {
        ElementPathWalk.chain(of: root, bound: [:])
    }
}

private struct ElementPathWalk {
    /// Macro variable → the chain of one element of its range (nil: not a chain).
    typealias Bound = [String: [String]?]

    var paths: [[String]] = []
    private var seen: Set<[String]> = []

    static func chain(of node: CELNode, bound: Bound) -> [String]? {
        switch node {
        case .identifier(let name, _):
            if let range = bound[name] { return range }
            return [name]
        case .select(let operand, let field, _): return chain(of: operand, bound: bound).map { $0 + [field] }
        case .index(let operand, _, _): return chain(of: operand, bound: bound).map { $0 + ["[]"] }
        case .comprehension(.filter, let range, _, _, nil, _): return chain(of: range, bound: bound)
        default: return nil
        }
    }

    private static func element(of range: CELNode, bound: Bound) -> [String]? {
        chain(of: range, bound: bound).map { $0 + ["[]"] }
    }

    mutating func collect(_ node: CELNode, bound: Bound) {
        if let chain = Self.chain(of: node, bound: bound) {
            if chain.contains("[]"), seen.insert(chain).inserted { paths.append(chain) }
            insideChain(node, bound: bound)
            return
        }
        for child in node.children {
            var inner = bound
            if let binding = child.binding { inner[binding.variable] = .some(Self.element(of: binding.range, bound: bound)) }
            collect(child.node, bound: inner)
        }
    }

    /// The parts of a chain that are expressions of their own: index keys and filter predicates.
    private mutating func insideChain(_ node: CELNode, bound: Bound) {
        switch node {
        case .select(let operand, _, _):
            insideChain(operand, bound: bound)
        case .index(let operand, let key, _):
            collect(key, bound: bound)
            insideChain(operand, bound: bound)
        case .comprehension(_, let range, let variable, let predicate, _, _):
            var inner = bound
            inner[variable] = .some(Self.element(of: range, bound: bound))
            collect(predicate, bound: inner)
            insideChain(range, bound: bound)
        default:
            return
        }
    }
}

extension CELExpression {
    /// The value of every field chain the expression reads from its free variables
    /// (`c.restartCount = 5`), in order of first appearance, for `medic explain` to show what
    /// a condition saw. Chains through macro variables differ per element and are left out;
    /// a chain that cannot be read says why. Long values are cut at `limit` characters.
    public func observations(_ bindings: [String: CELValue], limit: Int = 80) -> [String] {
        var shown: [String] = []
        for path in fieldPaths where path.count > 1 && rootIdentifiers.contains(path[0]) && bindings[path[0]] != nil {
            var value = bindings[path[0]]!
            var text: String?
            for field in path.dropFirst() {
                guard case .map(let fields) = value else {
                    text = "(\(value.typeName), no field '\(field)')"
                    break
                }
                guard let next = fields[field] else {
                    text = "(no field '\(field)')"
                    break
                }
                value = next
            }
            let rendered = text ?? Self.describe(value)
            let cut = rendered.count > limit ? String(rendered.prefix(limit - 1)) + "…" : rendered
            shown.append("\(path.joined(separator: ".")) = \(cut)")
        }
        return shown
    }

    private static func describe(_ value: CELValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .list(let items) where items.count > 3: "[\(items.count) items]"
        default: value.renderedString
        }
    }
}
