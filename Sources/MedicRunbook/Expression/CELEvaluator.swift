/// Walks a parsed expression over one set of bindings.
///
/// One evaluator per evaluation; macro variables live on a small stack searched innermost
/// first, so they shadow bindings of the same name.
struct CELEvaluator {
    private let bindings: [String: CELValue]
    private let functions: CELFunctionTable
    private let reads: CELReadLog?
    private var locals: [(name: String, value: CELValue)] = []

    init(bindings: [String: CELValue], functions: CELFunctionTable, reads: CELReadLog? = nil) {
        self.bindings = bindings
        self.functions = functions
        self.reads = reads
    }

    mutating func evaluate(_ node: CELNode) throws(CELError) -> CELValue {
        switch node {
        case .literal(let value, _):
            return value
        case .identifier(let name, let offset):
            return try lookup(name, offset)
        case .select(let operand, let field, let offset):
            return try select(field, on: try evaluate(operand), offset)
        case .presence(let operand, let field, let offset):
            switch try evaluate(operand) {
            case .map(let entries): return .bool(entries[field] != nil)
            case .null: return .bool(false)
            case let other: throw .at(offset, .evaluation, "has() needs a map, found \(other.typeName)")
            }
        case .index(let operand, let key, let offset):
            return try index(try evaluate(operand), by: try evaluate(key), offset)
        case .unary(let op, let operand, let offset):
            let value = try evaluate(operand)
            do {
                return op == .not ? try CELOperators.not(value) : try CELOperators.negate(value)
            } catch {
                throw error.placed(at: offset)
            }
        case .binary(let op, let left, let right, let offset):
            let leftValue = try evaluate(left)
            let rightValue = try evaluate(right)
            do {
                return try CELOperators.apply(op, leftValue, rightValue)
            } catch {
                throw error.placed(at: offset)
            }
        case .and(let left, let right, let offset):
            return try logical(left, right, absorbing: false, offset)
        case .or(let left, let right, let offset):
            return try logical(left, right, absorbing: true, offset)
        case .conditional(let condition, let whenTrue, let whenFalse, let offset):
            switch try evaluate(condition) {
            case .bool(true): return try evaluate(whenTrue)
            case .bool(false): return try evaluate(whenFalse)
            case let other: throw .at(offset, .evaluation, "condition of '?:' must be bool, found \(other.typeName)")
            }
        case .list(let items, _):
            var values: [CELValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .map(let entries, _):
            var values: [String: CELValue] = [:]
            for entry in entries {
                guard case .string(let key) = try evaluate(entry.key) else {
                    throw .at(entry.key.offset, .evaluation, "map keys must be strings")
                }
                guard values[key] == nil else {
                    throw .at(entry.key.offset, .evaluation, "duplicate map key '\(key)'")
                }
                values[key] = try evaluate(entry.value)
            }
            return .map(values)
        case .call(let name, let arguments, let offset):
            guard let function = functions.function(named: name) else {
                throw functions.unknownFunction(name).placed(at: offset)
            }
            var values: [CELValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try evaluate(argument)) }
            do {
                return try function(values)
            } catch {
                throw error.placed(at: offset)
            }
        case .matches(let target, let regex, let offset):
            let text = try evaluate(target)
            if functions.hasBuiltinMatches, case .string(let string) = text {
                return .bool(regex.matches(string))
            }
            guard let function = functions.function(named: "matches") else {
                throw functions.unknownFunction("matches").placed(at: offset)
            }
            do {
                return try function([text, .string(regex.pattern)])
            } catch {
                throw error.placed(at: offset)
            }
        case .comprehension(let macro, let range, let variable, let predicate, let transform, let offset):
            return try comprehension(macro, range, variable, predicate, transform, offset)
        }
    }

    private func lookup(_ name: String, _ offset: Int) throws(CELError) -> CELValue {
        for local in locals.reversed() where local.name == name {
            return local.value
        }
        guard let value = bindings[name] else {
            throw .at(offset, .evaluation, "undeclared reference to '\(name)'")
        }
        reads?.note(name)
        return value
    }

    private func select(_ field: String, on value: CELValue, _ offset: Int) throws(CELError) -> CELValue {
        guard case .map(let entries) = value else {
            throw .at(offset, .evaluation, "cannot select field '\(field)' from \(value.typeName)")
        }
        guard let found = entries[field] else { throw .at(offset, .evaluation, "no such key: \(field)") }
        return found
    }

    private func index(_ container: CELValue, by key: CELValue, _ offset: Int) throws(CELError) -> CELValue {
        switch (container, key) {
        case (.list(let items), .int(let position)):
            guard position >= 0, position < items.count else {
                throw .at(offset, .evaluation, "index out of range: \(position) (list size \(items.count))")
            }
            return items[Int(position)]
        case (.map(let entries), .string(let name)):
            guard let found = entries[name] else { throw .at(offset, .evaluation, "no such key: \(name)") }
            return found
        default:
            throw .at(offset, .evaluation, "no such overload: \(container.typeName)[\(key.typeName)]")
        }
    }

    /// `&&` (absorbing `false`) and `||` (absorbing `true`) with CEL's commutative error
    /// handling: the absorbing value on either side wins over an error or a non-bool on the other.
    private mutating func logical(
        _ left: CELNode, _ right: CELNode, absorbing: Bool, _ offset: Int
    ) throws(CELError) -> CELValue {
        var pending: CELError?
        do {
            switch try evaluate(left) {
            case .bool(absorbing): return .bool(absorbing)
            case .bool: break
            case let other: pending = operandError(other, absorbing, offset)
            }
        } catch {
            pending = error
        }
        let rightValue: CELValue
        do {
            rightValue = try evaluate(right)
        } catch {
            throw pending ?? error
        }
        switch rightValue {
        case .bool(absorbing): return .bool(absorbing)
        case .bool:
            if let pending { throw pending }
            return .bool(!absorbing)
        case let other:
            throw pending ?? operandError(other, absorbing, offset)
        }
    }

    private func operandError(_ value: CELValue, _ absorbing: Bool, _ offset: Int) -> CELError {
        .at(offset, .evaluation, "no such overload: '\(absorbing ? "||" : "&&")' needs bool operands, found \(value.typeName)")
    }

    private mutating func comprehension(
        _ macro: CELNode.Macro, _ range: CELNode, _ variable: String, _ predicate: CELNode, _ transform: CELNode?,
        _ offset: Int
    ) throws(CELError) -> CELValue {
        let elements: [CELValue]
        switch try evaluate(range) {
        case .list(let items): elements = items
        case .map(let entries): elements = entries.keys.sorted().map { .string($0) }
        case let other:
            throw .at(offset, .evaluation, "\(macro.rawValue)() needs a list or map, found \(other.typeName)")
        }
        locals.append((variable, .null))
        defer { locals.removeLast() }
        let slot = locals.count - 1

        switch macro {
        case .all, .exists:
            // all: any false wins over errors; exists: any true wins over errors.
            let decisive = macro == .exists
            var pending: CELError?
            for element in elements {
                locals[slot].value = element
                do {
                    switch try evaluate(predicate) {
                    case .bool(decisive): return .bool(decisive)
                    case .bool: continue
                    case let other: pending = pending ?? predicateError(macro, other, predicate.offset)
                    }
                } catch {
                    pending = pending ?? error
                }
            }
            if let pending { throw pending }
            return .bool(!decisive)
        case .existsOne:
            var count = 0
            for element in elements {
                locals[slot].value = element
                switch try evaluate(predicate) {
                case .bool(true): count += 1
                case .bool(false): continue
                case let other: throw predicateError(macro, other, predicate.offset)
                }
            }
            return .bool(count == 1)
        case .filter, .map:
            var results: [CELValue] = []
            for element in elements {
                locals[slot].value = element
                if macro == .map, transform == nil {
                    results.append(try evaluate(predicate))
                    continue
                }
                switch try evaluate(predicate) {
                case .bool(true):
                    if let transform {
                        results.append(try evaluate(transform))
                    } else {
                        results.append(element)
                    }
                case .bool(false): continue
                case let other: throw predicateError(macro, other, predicate.offset)
                }
            }
            return .list(results)
        }
    }

    private func predicateError(_ macro: CELNode.Macro, _ value: CELValue, _ offset: Int) -> CELError {
        .at(offset, .evaluation, "predicate of \(macro.rawValue)() must be bool, found \(value.typeName)")
    }
}
