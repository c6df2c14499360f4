/// Recursive-descent parser for the CEL subset; precedence from loosest to tightest:
/// `?:`, `||`, `&&`, relations (`< <= > >= == != in`), `+ -`, `* / %`, unary `! -`,
/// then member access (`.f`, `.f(…)`, `[i]`). Macros are expanded here into comprehension
/// nodes, so the evaluator never sees `has`, `all`, `exists`… as calls.
struct CELParser {
    private let tokens: [CELToken]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 128

    static func parse(_ source: String) throws(CELError) -> CELNode {
        var parser = CELParser(tokens: try CELLexer.tokens(of: source))
        let node = try parser.expression()
        guard case .end = parser.current.kind else {
            throw .at(parser.current.offset, .syntax, "unexpected \(parser.describe(parser.current)) after expression")
        }
        return node
    }

    private init(tokens: [CELToken]) {
        self.tokens = tokens
    }

    private var current: CELToken { tokens[index] }

    private func isSymbol(_ symbol: String, ahead: Int = 0) -> Bool {
        guard index + ahead < tokens.count else { return false }
        return tokens[index + ahead].kind == .symbol(symbol)
    }

    private mutating func take(_ symbol: String) -> Int? {
        guard isSymbol(symbol) else { return nil }
        defer { index += 1 }
        return current.offset
    }

    @discardableResult
    private mutating func expect(_ symbol: String, _ context: String) throws(CELError) -> Int {
        guard let offset = take(symbol) else {
            throw .at(current.offset, .syntax, "expected '\(symbol)' \(context) but found \(describe(current))")
        }
        return offset
    }

    private func describe(_ token: CELToken) -> String {
        switch token.kind {
        case .end: "end of expression"
        case .symbol(let symbol): "'\(symbol)'"
        case .identifier(let name): "'\(name)'"
        case .int, .double: "number"
        case .string: "string"
        }
    }

    // MARK: Operators, loosest first

    private mutating func expression() throws(CELError) -> CELNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw .at(current.offset, .syntax, "expression nests more than \(Self.maximumDepth) levels deep")
        }
        let condition = try logicalOr()
        guard let offset = take("?") else { return condition }
        let whenTrue = try logicalOr()
        try expect(":", "in conditional 'a ? b : c'")
        let whenFalse = try expression()
        return .conditional(condition, whenTrue, whenFalse, offset: offset)
    }

    private mutating func logicalOr() throws(CELError) -> CELNode {
        var left = try logicalAnd()
        while let offset = take("||") {
            left = .or(left, try logicalAnd(), offset: offset)
        }
        return left
    }

    private mutating func logicalAnd() throws(CELError) -> CELNode {
        var left = try relation()
        while let offset = take("&&") {
            left = .and(left, try relation(), offset: offset)
        }
        return left
    }

    private mutating func relation() throws(CELError) -> CELNode {
        var left = try addition()
        while true {
            let op: CELNode.BinaryOperator
            switch current.kind {
            case .symbol(let symbol):
                guard let relational = CELNode.BinaryOperator(rawValue: symbol),
                    [.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual].contains(relational)
                else { return left }
                op = relational
            case .identifier("in"): op = .membership
            default: return left
            }
            let offset = current.offset
            index += 1
            left = .binary(op, left, try addition(), offset: offset)
        }
    }

    private mutating func addition() throws(CELError) -> CELNode {
        var left = try multiplication()
        while isSymbol("+") || isSymbol("-") {
            let op: CELNode.BinaryOperator = isSymbol("+") ? .add : .subtract
            let offset = current.offset
            index += 1
            left = .binary(op, left, try multiplication(), offset: offset)
        }
        return left
    }

    private mutating func multiplication() throws(CELError) -> CELNode {
        var left = try unary()
        while true {
            let op: CELNode.BinaryOperator
            if isSymbol("*") {
                op = .multiply
            } else if isSymbol("/") {
                op = .divide
            } else if isSymbol("%") {
                op = .remainder
            } else {
                return left
            }
            let offset = current.offset
            index += 1
            left = .binary(op, left, try unary(), offset: offset)
        }
    }

    private mutating func unary() throws(CELError) -> CELNode {
        if let offset = take("!") {
            return .unary(.not, try unary(), offset: offset)
        }
        guard let offset = take("-") else { return try member() }
        // Fold `-literal` so that the most negative int64 can be written, as in CEL.
        let followedBySuffix = isSymbol(".", ahead: 1) || isSymbol("[", ahead: 1)
        if case .int(let magnitude) = current.kind, !followedBySuffix {
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw .at(current.offset, .syntax, "integer literal out of range: -\(magnitude)")
            }
            index += 1
            let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            return .literal(.int(value), offset: offset)
        }
        if case .double(let value) = current.kind, !followedBySuffix {
            index += 1
            return .literal(.double(-value), offset: offset)
        }
        return .unary(.negate, try unary(), offset: offset)
    }

    // MARK: Member access and primaries

    private mutating func member() throws(CELError) -> CELNode {
        var node = try primary()
        while true {
            if take(".") != nil {
                guard case .identifier(let name) = current.kind else {
                    throw .at(current.offset, .syntax, "expected a field or method name after '.' but found \(describe(current))")
                }
                let offset = current.offset
                index += 1
                if isSymbol("(") {
                    node = try call(name, receiver: node, offset: offset)
                } else {
                    node = .select(node, field: name, offset: offset)
                }
            } else if let offset = take("[") {
                let key = try expression()
                try expect("]", "to close index")
                node = .index(node, key, offset: offset)
            } else {
                return node
            }
        }
    }

    private mutating func primary() throws(CELError) -> CELNode {
        let token = current
        switch token.kind {
        case .int(let magnitude):
            guard magnitude <= UInt64(Int64.max) else {
                throw .at(token.offset, .syntax, "integer literal out of range: \(magnitude)")
            }
            index += 1
            return .literal(.int(Int64(magnitude)), offset: token.offset)
        case .double(let value):
            index += 1
            return .literal(.double(value), offset: token.offset)
        case .string(let text):
            index += 1
            return .literal(.string(text), offset: token.offset)
        case .identifier(let name):
            index += 1
            switch name {
            case "true": return .literal(.bool(true), offset: token.offset)
            case "false": return .literal(.bool(false), offset: token.offset)
            case "null": return .literal(.null, offset: token.offset)
            case "in": throw .at(token.offset, .syntax, "unexpected 'in'")
            default:
                return isSymbol("(") ? try call(name, receiver: nil, offset: token.offset)
                    : .identifier(name, offset: token.offset)
            }
        case .symbol("("):
            index += 1
            let inner = try expression()
            try expect(")", "to close '('")
            return inner
        case .symbol("["):
            index += 1
            return .list(try elements(closedBy: "]"), offset: token.offset)
        case .symbol("{"):
            index += 1
            return .map(try mapEntries(), offset: token.offset)
        case .end:
            throw .at(token.offset, .syntax, "unexpected end of expression")
        case .symbol:
            throw .at(token.offset, .syntax, "unexpected \(describe(token))")
        }
    }

    /// Comma-separated expressions up to `closer`, allowing a trailing comma.
    private mutating func elements(closedBy closer: String) throws(CELError) -> [CELNode] {
        var items: [CELNode] = []
        while take(closer) == nil {
            items.append(try expression())
            if take(",") == nil {
                try expect(closer, "after element")
                break
            }
        }
        return items
    }

    private mutating func mapEntries() throws(CELError) -> [CELNode.MapEntry] {
        var entries: [CELNode.MapEntry] = []
        while take("}") == nil {
            let key = try expression()
            try expect(":", "after map key")
            entries.append(CELNode.MapEntry(key: key, value: try expression()))
            if take(",") == nil {
                try expect("}", "after map entry")
                break
            }
        }
        return entries
    }

    // MARK: Calls and macros

    private mutating func call(_ name: String, receiver: CELNode?, offset: Int) throws(CELError) -> CELNode {
        try expect("(", "to open arguments")
        let arguments = try elements(closedBy: ")")
        if let macro = CELNode.Macro(rawValue: name) {
            guard let receiver else {
                throw .at(offset, .syntax, "\(name) is a macro called on a list or map, e.g. items.\(name)(x, …)")
            }
            return try comprehension(macro, over: receiver, arguments, offset: offset)
        }
        if name == "has", receiver == nil {
            guard arguments.count == 1, case .select(let operand, let field, _) = arguments[0] else {
                throw .at(offset, .syntax, "has() takes one field selection, e.g. has(a.b)")
            }
            return .presence(operand, field: field, offset: offset)
        }
        let all = receiver.map { [$0] + arguments } ?? arguments
        if name == "matches", all.count == 2, case .literal(.string(let pattern), let patternOffset) = all[1] {
            do {
                return .matches(all[0], try CELRegex(pattern), offset: offset)
            } catch {
                throw .at(patternOffset, .syntax, error.message)
            }
        }
        return .call(name, all, offset: offset)
    }

    private func comprehension(
        _ macro: CELNode.Macro, over range: CELNode, _ arguments: [CELNode], offset: Int
    ) throws(CELError) -> CELNode {
        let allowed = macro == .map ? 2...3 : 2...2
        guard allowed.contains(arguments.count) else {
            let shape = macro == .map ? "(x, transform) or (x, predicate, transform)" : "(x, predicate)"
            throw .at(offset, .syntax, "\(macro.rawValue) takes \(shape), got \(arguments.count) argument(s)")
        }
        guard case .identifier(let variable, _) = arguments[0] else {
            throw .at(arguments[0].offset, .syntax, "the first argument of \(macro.rawValue) must be a variable name")
        }
        return .comprehension(
            macro, range: range, variable: variable, predicate: arguments[1],
            transform: arguments.count == 3 ? arguments[2] : nil, offset: offset)
    }
}
