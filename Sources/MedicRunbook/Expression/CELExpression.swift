/// A runbook condition or value, parsed once and evaluated against many targets.
///
/// Parsing happens in `init`, so a runbook with a typo fails when it is loaded, not when the
/// first matching pod shows up; evaluation only walks the prepared tree.
public struct CELExpression: Sendable {
    public let source: String
    let root: CELNode

    /// Free variables the expression reads (macro variables such as `c` in
    /// `containers.exists(c, …)` are not free), for checking them against what enrichment provides.
    public let rootIdentifiers: Set<String>

    /// Every chain of field selections that starts at an identifier, longest form only, in
    /// order of first appearance: `workload.containers.exists(c, c.name == "x")` gives
    /// `[["workload", "containers"], ["c", "name"]]`. Chains rooted at macro variables are
    /// included so a linter can check element fields too.
    public let fieldPaths: [[String]]

    public init(_ source: String) throws(CELError) {
        self.source = source
        do {
            root = try CELParser.parse(source)
        } catch {
            throw error.located(in: source)
        }
        var references = References()
        references.collect(root, bound: [])
        rootIdentifiers = references.roots
        fieldPaths = references.paths
    }

    /// Evaluates against `bindings` (the enriched view: `workload`, `now`, …). `reads` notes
    /// whether the binding it watches was looked up.
    public func evaluate(
        _ bindings: [String: CELValue], functions: CELFunctionTable = .standard, reads: CELReadLog? = nil
    ) throws(CELError) -> CELValue {
        var evaluator = CELEvaluator(bindings: bindings, functions: functions, reads: reads)
        do {
            return try evaluator.evaluate(root)
        } catch {
            throw error.located(in: source)
        }
    }

    /// Evaluates a condition: the result must be a bool, anything else is an error rather
    /// than a silent "no match".
    public func evaluateCondition(
        _ bindings: [String: CELValue], functions: CELFunctionTable = .standard
    ) throws(CELError) -> Bool {
        let value = try evaluate(bindings, functions: functions)
        guard case .bool(let flag) = value else {
            throw CELError(
                kind: .evaluation, message: "condition must evaluate to bool, found \(value.typeName)",
                position: CELError.Position(offset: 0, line: 1, column: 1))
        }
        return flag
    }

    /// Reports the first call to a name that `functions` does not define, so that `medic lint`
    /// can catch typos without evaluating anything.
    public func checkFunctions(_ functions: CELFunctionTable = .standard) throws(CELError) {
        func visit(_ node: CELNode) throws(CELError) {
            switch node {
            case .literal, .identifier: return
            case .select(let operand, _, _), .presence(let operand, _, _), .unary(_, let operand, _):
                try visit(operand)
            case .index(let a, let b, _), .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _):
                try visit(a)
                try visit(b)
            case .conditional(let a, let b, let c, _):
                try visit(a)
                try visit(b)
                try visit(c)
            case .list(let items, _):
                for item in items { try visit(item) }
            case .map(let entries, _):
                for entry in entries {
                    try visit(entry.key)
                    try visit(entry.value)
                }
            case .call(let name, let arguments, let offset):
                guard functions.function(named: name) != nil else {
                    throw functions.unknownFunction(name).placed(at: offset).located(in: source)
                }
                for argument in arguments { try visit(argument) }
            case .matches(let target, _, let offset):
                guard functions.function(named: "matches") != nil else {
                    throw functions.unknownFunction("matches").placed(at: offset).located(in: source)
                }
                try visit(target)
            case .comprehension(_, let range, _, let predicate, let transform, _):
                try visit(range)
                try visit(predicate)
                if let transform { try visit(transform) }
            }
        }
        try visit(root)
    }
}

/// Free identifiers and field paths of a parsed expression.
private struct References {
    var roots: Set<String> = []
    var paths: [[String]] = []
    private var seenPaths: Set<[String]> = []

    mutating func collect(_ node: CELNode, bound: Set<String>) {
        if let path = Self.path(of: node) {
            if !bound.contains(path[0]) { roots.insert(path[0]) }
            if seenPaths.insert(path).inserted { paths.append(path) }
            return
        }
        for child in node.children {
            collect(child.node, bound: child.binding.map { bound.union([$0.variable]) } ?? bound)
        }
    }

    /// `a.b.c` as `["a", "b", "c"]`; nil when the chain does not start at an identifier.
    private static func path(of node: CELNode) -> [String]? {
        switch node {
        case .identifier(let name, _): [name]
        case .select(let operand, let field, _): path(of: operand).map { $0 + [field] }
        default: nil
        }
    }
}
