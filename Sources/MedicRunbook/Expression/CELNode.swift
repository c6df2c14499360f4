/// The parsed form of an expression: built once, walked by `CELEvaluator` for every target.
/// `offset` is the character that errors raised by this node point at.
indirect enum CELNode: Sendable {
    enum UnaryOperator: String, Sendable { case not = "!", negate = "-" }

    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case equal = "==", notEqual = "!=", membership = "in"
    }

    /// The comprehension macros; each binds one variable over a list's elements or a map's keys.
    enum Macro: String, Sendable, CaseIterable {
        case all, exists, existsOne = "exists_one", map, filter
    }

    struct MapEntry: Sendable {
        let key: CELNode
        let value: CELNode
    }

    case literal(CELValue, offset: Int)
    case identifier(String, offset: Int)
    case select(CELNode, field: String, offset: Int)
    /// `has(a.b)`: whether map `a` has key `b`.
    case presence(CELNode, field: String, offset: Int)
    case index(CELNode, CELNode, offset: Int)
    case unary(UnaryOperator, CELNode, offset: Int)
    case binary(BinaryOperator, CELNode, CELNode, offset: Int)
    case and(CELNode, CELNode, offset: Int)
    case or(CELNode, CELNode, offset: Int)
    case conditional(CELNode, CELNode, CELNode, offset: Int)
    case list([CELNode], offset: Int)
    case map([MapEntry], offset: Int)
    /// A global or receiver call; a receiver is the first argument.
    case call(String, [CELNode], offset: Int)
    /// `matches` with a literal pattern, compiled once at parse time.
    case matches(CELNode, CELRegex, offset: Int)
    /// `range.macro(variable, predicate)`, or `range.map(variable, predicate, transform)` when
    /// `transform` is present (`filter` then `map`).
    case comprehension(Macro, range: CELNode, variable: String, predicate: CELNode, transform: CELNode?, offset: Int)

    var offset: Int {
        switch self {
        case .literal(_, let offset), .identifier(_, let offset), .select(_, _, let offset),
            .presence(_, _, let offset), .index(_, _, let offset), .unary(_, _, let offset),
            .binary(_, _, _, let offset), .and(_, _, let offset), .or(_, _, let offset),
            .conditional(_, _, _, let offset), .list(_, let offset), .map(_, let offset), .call(_, _, let offset),
            .matches(_, _, let offset), .comprehension(_, _, _, _, _, let offset):
            offset
        }
    }

    /// A comprehension's variable and the range its elements come from, for the subexpressions
    /// evaluated with it bound.
    struct Binding {
        var variable: String
        var range: CELNode
    }

    /// The direct subexpressions, in source order, each with the comprehension variable bound in
    /// it (nil outside one), so every walk over the tree shares its shape. `has(a.b)` reads as
    /// the selection `a.b`.
    var children: [(node: CELNode, binding: Binding?)] {
        switch self {
        case .literal, .identifier: []
        case .select(let operand, _, _), .unary(_, let operand, _), .matches(let operand, _, _): [(operand, nil)]
        case .presence(let operand, let field, let offset): [(.select(operand, field: field, offset: offset), nil)]
        case .index(let a, let b, _), .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _):
            [(a, nil), (b, nil)]
        case .conditional(let a, let b, let c, _): [(a, nil), (b, nil), (c, nil)]
        case .list(let items, _), .call(_, let items, _): items.map { ($0, nil) }
        case .map(let entries, _): entries.flatMap { [($0.key, nil), ($0.value, nil)] }
        case .comprehension(_, let range, let variable, let predicate, let transform, _):
            [(range, nil)] + ([predicate] + (transform.map { [$0] } ?? [])).map { ($0, Binding(variable: variable, range: range)) }
        }
    }
}
