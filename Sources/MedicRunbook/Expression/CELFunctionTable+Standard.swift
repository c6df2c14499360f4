import MedicKube
import Foundation

extension CELFunctionTable {
    /// CEL's standard functions that runbooks need, plus the string extensions Kubernetes
    /// enables (`lowerAscii`, `split`, `join`, `trim`…). See docs/cel.md for each signature.
    public static let standard: CELFunctionTable = {
        var table = CELFunctionTable()
        table.register("size", size)
        table.register("contains") { arguments throws(CELError) in
            let (text, part) = try strings("contains", arguments)
            return .bool(part.isEmpty || text.contains(part))
        }
        table.register("startsWith") { arguments throws(CELError) in
            let (text, prefix) = try strings("startsWith", arguments)
            return .bool(text.unicodeScalars.starts(with: prefix.unicodeScalars))
        }
        table.register("endsWith") { arguments throws(CELError) in
            let (text, suffix) = try strings("endsWith", arguments)
            return .bool(text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed()))
        }
        table.registerBuiltinMatches { arguments throws(CELError) in
            let (text, pattern) = try strings("matches", arguments)
            return .bool(try CELRegex(pattern).matches(text))
        }
        table.register("lowerAscii") { arguments throws(CELError) in
            .string(mapASCII(try string("lowerAscii", arguments)) { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
        }
        table.register("upperAscii") { arguments throws(CELError) in
            .string(mapASCII(try string("upperAscii", arguments)) { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
        }
        table.register("trim") { arguments throws(CELError) in
            .string(try string("trim", arguments).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        table.register("split", split)
        table.register("join", join)
        table.register("int", toInt)
        table.register("double", toDouble)
        table.register("string") { arguments throws(CELError) in
            guard arguments.count == 1 else { throw .noOverload("string", arguments) }
            return .string(arguments[0].renderedString)
        }
        table.register("bool", toBool)
        table.register("duration", toDuration)
        table.register("timestamp", toTimestamp)
        table.register("min") { arguments throws(CELError) in try extreme("min", arguments, .orderedAscending) }
        table.register("max") { arguments throws(CELError) in try extreme("max", arguments, .orderedDescending) }
        table.register("abs", abs)
        return table
    }()

    private static func string(_ name: String, _ arguments: [CELValue]) throws(CELError) -> String {
        guard arguments.count == 1, case .string(let text) = arguments[0] else { throw .noOverload(name, arguments) }
        return text
    }

    private static func strings(_ name: String, _ arguments: [CELValue]) throws(CELError) -> (String, String) {
        guard arguments.count == 2, case .string(let first) = arguments[0], case .string(let second) = arguments[1]
        else { throw .noOverload(name, arguments) }
        return (first, second)
    }

    private static func mapASCII(_ text: String, _ transform: (UInt8) -> UInt8) -> String {
        String(decoding: text.utf8.map { $0 < 128 ? transform($0) : $0 }, as: UTF8.self)
    }

    private static func size(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("size", arguments) }
        switch arguments[0] {
        case .string(let text): return .int(Int64(text.unicodeScalars.count))
        case .list(let items): return .int(Int64(items.count))
        case .map(let entries): return .int(Int64(entries.count))
        default: throw .noOverload("size", arguments)
        }
    }

    private static func split(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        let (text, separator) = try strings("split", arguments)
        if separator.isEmpty {
            return .list(text.unicodeScalars.map { .string(String($0)) })
        }
        return .list(text.components(separatedBy: separator).map { .string($0) })
    }

    private static func join(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard (1...2).contains(arguments.count), case .list(let items) = arguments[0] else {
            throw .noOverload("join", arguments)
        }
        var separator = ""
        if arguments.count == 2 {
            guard case .string(let text) = arguments[1] else { throw .noOverload("join", arguments) }
            separator = text
        }
        var parts: [String] = []
        for item in items {
            guard case .string(let text) = item else {
                throw .evaluation("join needs a list of strings, found \(item.typeName) \(item.renderedString)")
            }
            parts.append(text)
        }
        return .string(parts.joined(separator: separator))
    }

    private static func toInt(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("int", arguments) }
        switch arguments[0] {
        case .int: return arguments[0]
        case .double(let number):
            guard let value = Int64(exactly: number.rounded(.towardZero)) else {
                throw .evaluation("int() out of range: \(CELValue.format(double: number))")
            }
            return .int(value)
        case .string(let text):
            guard let value = Int64(text) else { throw .evaluation("cannot convert '\(text)' to int") }
            return .int(value)
        case .timestamp(let date):
            return .int(Int64(date.timeIntervalSince1970.rounded(.down)))
        default: throw .noOverload("int", arguments)
        }
    }

    private static func toDouble(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("double", arguments) }
        switch arguments[0] {
        case .double: return arguments[0]
        case .int(let number): return .double(Double(number))
        case .string(let text):
            guard let value = Double(text) else { throw .evaluation("cannot convert '\(text)' to double") }
            return .double(value)
        default: throw .noOverload("double", arguments)
        }
    }

    private static func toBool(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("bool", arguments) }
        switch arguments[0] {
        case .bool: return arguments[0]
        case .string(let text):
            switch text {
            case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
            default: throw .evaluation("cannot convert '\(text)' to bool")
            }
        default: throw .noOverload("bool", arguments)
        }
    }

    private static func toDuration(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("duration", arguments) }
        switch arguments[0] {
        case .duration: return arguments[0]
        case .int(let seconds): return .duration(Double(seconds))
        case .double(let seconds): return .duration(seconds)
        case .string(let text):
            guard let seconds = CELTime.parseDuration(text) else {
                throw .evaluation("invalid duration '\(text)' (use e.g. '30m', '1h30m', '500ms', '45s')")
            }
            return .duration(seconds)
        default: throw .noOverload("duration", arguments)
        }
    }

    private static func toTimestamp(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("timestamp", arguments) }
        switch arguments[0] {
        case .timestamp: return arguments[0]
        case .int(let seconds): return .timestamp(Date(timeIntervalSince1970: Double(seconds)))
        case .string(let text):
            guard let date = RFC3339.parse(text) else {
                throw .evaluation("invalid timestamp '\(text)' (use RFC 3339, e.g. '2024-05-01T12:00:00Z')")
            }
            return .timestamp(date)
        default: throw .noOverload("timestamp", arguments)
        }
    }

    /// `min`/`max` of the arguments, or of the elements when given one list; values are
    /// ordered as by `<`, and the winning value keeps its type.
    private static func extreme(
        _ name: String, _ arguments: [CELValue], _ wanted: ComparisonResult
    ) throws(CELError) -> CELValue {
        var candidates = arguments
        if arguments.count == 1, case .list(let items) = arguments[0] { candidates = items }
        guard var best = candidates.first else { throw .evaluation("\(name)() of an empty list") }
        for candidate in candidates.dropFirst() {
            if try CELOperators.compare(candidate, best, .less) == wanted { best = candidate }
        }
        return best
    }

    private static func abs(_ arguments: [CELValue]) throws(CELError) -> CELValue {
        guard arguments.count == 1 else { throw .noOverload("abs", arguments) }
        switch arguments[0] {
        case .int(let number):
            guard number != .min else { throw .evaluation("integer overflow: abs(\(number))") }
            return .int(Swift.abs(number))
        case .double(let number): return .double(Swift.abs(number))
        case .duration(let seconds): return .duration(Swift.abs(seconds))
        default: throw .noOverload("abs", arguments)
        }
    }
}
