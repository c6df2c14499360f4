import Foundation

/// The semantics of CEL's operators over `CELValue`, shared by the evaluator and by functions
/// such as `min`/`max` that must order values exactly like `<` does.
///
/// Errors are raised unplaced (`CELError.evaluation`); the evaluator gives them the position
/// of the operator.
enum CELOperators {
    static func apply(_ op: CELNode.BinaryOperator, _ left: CELValue, _ right: CELValue) throws(CELError) -> CELValue {
        switch op {
        case .add: return try add(left, right)
        case .subtract: return try subtract(left, right)
        case .multiply: return try multiply(left, right)
        case .divide: return try divide(left, right)
        case .remainder: return try remainder(left, right)
        case .equal: return .bool(equals(left, right))
        case .notEqual: return .bool(!equals(left, right))
        case .less: return .bool(try compare(left, right, op) == .orderedAscending)
        case .lessOrEqual:
            let order = try compare(left, right, op)
            return .bool(order == .orderedAscending || order == .orderedSame)
        case .greater: return .bool(try compare(left, right, op) == .orderedDescending)
        case .greaterOrEqual:
            let order = try compare(left, right, op)
            return .bool(order == .orderedDescending || order == .orderedSame)
        case .membership: return .bool(try contains(right, left))
        }
    }

    static func negate(_ value: CELValue) throws(CELError) -> CELValue {
        switch value {
        case .int(let number):
            guard number != .min else { throw .evaluation("integer overflow: -(\(number))") }
            return .int(-number)
        case .double(let number): return .double(-number)
        case .duration(let seconds): return .duration(-seconds)
        default: throw .evaluation("no such overload: -\(value.typeName)")
        }
    }

    static func not(_ value: CELValue) throws(CELError) -> CELValue {
        guard case .bool(let flag) = value else { throw .evaluation("no such overload: !\(value.typeName)") }
        return .bool(!flag)
    }

    /// CEL's heterogeneous equality: ints and doubles compare by numeric value, values of
    /// different kinds are unequal (never an error), lists and maps compare element-wise.
    static func equals(_ left: CELValue, _ right: CELValue) -> Bool {
        switch (left, right) {
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): Int64(exactly: b) == a
        case (.string(let a), .string(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.timestamp(let a), .timestamp(let b)): a == b
        case (.duration(let a), .duration(let b)): a == b
        case (.list(let a), .list(let b)): a.count == b.count && zip(a, b).allSatisfy { equals($0, $1) }
        case (.map(let a), .map(let b)):
            a.count == b.count && a.allSatisfy { key, value in b[key].map { equals(value, $0) } ?? false }
        default: false
        }
    }

    /// Orders two values of a comparable kind; `nil` when either side is NaN (every comparison
    /// with NaN is false).
    static func compare(
        _ left: CELValue, _ right: CELValue, _ op: CELNode.BinaryOperator
    ) throws(CELError) -> ComparisonResult? {
        func order<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult {
            a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
        }
        func order(_ a: Double, _ b: Double) -> ComparisonResult? {
            a.isNaN || b.isNaN ? nil : a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
        }
        switch (left, right) {
        case (.int(let a), .int(let b)): return order(a, b)
        case (.double(let a), .double(let b)): return order(a, b)
        case (.int(let a), .double(let b)): return order(Double(a), b)
        case (.double(let a), .int(let b)): return order(a, Double(b))
        case (.string(let a), .string(let b)):
            if a == b { return .orderedSame }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? .orderedAscending : .orderedDescending
        case (.bool(let a), .bool(let b)): return order(a ? 1 : 0, b ? 1 : 0)
        case (.timestamp(let a), .timestamp(let b)): return order(a, b)
        case (.duration(let a), .duration(let b)): return order(a, b)
        default: throw mismatch(left, op, right)
        }
    }

    private static func contains(_ container: CELValue, _ element: CELValue) throws(CELError) -> Bool {
        switch container {
        case .list(let items): return items.contains { equals($0, element) }
        case .map(let entries):
            guard case .string(let key) = element else { return false }
            return entries[key] != nil
        default: throw mismatch(element, .membership, container)
        }
    }

    private static func mismatch(_ left: CELValue, _ op: CELNode.BinaryOperator, _ right: CELValue) -> CELError {
        .evaluation("no such overload: \(left.typeName) \(op.rawValue) \(right.typeName)")
    }

    private static func overflow(_ a: Int64, _ op: CELNode.BinaryOperator, _ b: Int64) -> CELError {
        .evaluation("integer overflow: \(a) \(op.rawValue) \(b)")
    }

    /// Both sides as doubles when at least one is a double and the other an int or double.
    private static func mixedNumbers(_ left: CELValue, _ right: CELValue) -> (Double, Double)? {
        switch (left, right) {
        case (.double(let a), .double(let b)): (a, b)
        case (.int(let a), .double(let b)): (Double(a), b)
        case (.double(let a), .int(let b)): (a, Double(b))
        default: nil
        }
    }

    private static func number(_ value: CELValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    private static func add(_ left: CELValue, _ right: CELValue) throws(CELError) -> CELValue {
        switch (left, right) {
        case (.int(let a), .int(let b)):
            let (sum, overflowed) = a.addingReportingOverflow(b)
            if overflowed { throw overflow(a, .add, b) }
            return .int(sum)
        case (.string(let a), .string(let b)): return .string(a + b)
        case (.list(let a), .list(let b)): return .list(a + b)
        case (.timestamp(let date), .duration(let seconds)), (.duration(let seconds), .timestamp(let date)):
            return .timestamp(date.addingTimeInterval(seconds))
        case (.duration(let a), .duration(let b)): return .duration(a + b)
        default:
            guard let (a, b) = mixedNumbers(left, right) else { throw mismatch(left, .add, right) }
            return .double(a + b)
        }
    }

    private static func subtract(_ left: CELValue, _ right: CELValue) throws(CELError) -> CELValue {
        switch (left, right) {
        case (.int(let a), .int(let b)):
            let (difference, overflowed) = a.subtractingReportingOverflow(b)
            if overflowed { throw overflow(a, .subtract, b) }
            return .int(difference)
        case (.timestamp(let a), .timestamp(let b)): return .duration(a.timeIntervalSince(b))
        case (.timestamp(let date), .duration(let seconds)): return .timestamp(date.addingTimeInterval(-seconds))
        case (.duration(let a), .duration(let b)): return .duration(a - b)
        default:
            guard let (a, b) = mixedNumbers(left, right) else { throw mismatch(left, .subtract, right) }
            return .double(a - b)
        }
    }

    private static func multiply(_ left: CELValue, _ right: CELValue) throws(CELError) -> CELValue {
        switch (left, right) {
        case (.int(let a), .int(let b)):
            let (product, overflowed) = a.multipliedReportingOverflow(by: b)
            if overflowed { throw overflow(a, .multiply, b) }
            return .int(product)
        case (.duration(let seconds), let factor), (let factor, .duration(let seconds)):
            guard let factor = number(factor) else { throw mismatch(left, .multiply, right) }
            return .duration(seconds * factor)
        default:
            guard let (a, b) = mixedNumbers(left, right) else { throw mismatch(left, .multiply, right) }
            return .double(a * b)
        }
    }

    private static func divide(_ left: CELValue, _ right: CELValue) throws(CELError) -> CELValue {
        switch (left, right) {
        case (.int(let a), .int(let b)):
            guard b != 0 else { throw .evaluation("division by zero: \(a) / 0") }
            let (quotient, overflowed) = a.dividedReportingOverflow(by: b)
            if overflowed { throw overflow(a, .divide, b) }
            return .int(quotient)
        case (.duration(let a), .duration(let b)): return .double(a / b)
        case (.duration(let seconds), let divisor):
            guard let divisor = number(divisor) else { throw mismatch(left, .divide, right) }
            return .duration(seconds / divisor)
        default:
            guard let (a, b) = mixedNumbers(left, right) else { throw mismatch(left, .divide, right) }
            return .double(a / b)
        }
    }

    private static func remainder(_ left: CELValue, _ right: CELValue) throws(CELError) -> CELValue {
        guard case .int(let a) = left, case .int(let b) = right else { throw mismatch(left, .remainder, right) }
        guard b != 0 else { throw .evaluation("modulus by zero: \(a) % 0") }
        let (result, overflowed) = a.remainderReportingOverflow(dividingBy: b)
        if overflowed { throw overflow(a, .remainder, b) }
        return .int(result)
    }
}
