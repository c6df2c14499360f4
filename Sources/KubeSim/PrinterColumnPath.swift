import Foundation
import MedicKube

/// The "simple JSONPath" of a CRD's `additionalPrinterColumns` (`.status.replicas`,
/// `.metadata.labels['app.kubernetes.io/name']`, `.spec.items[0].name`, `.items[*].name`,
/// `.status.conditions[?(@.type=="Ready")].status`), evaluated as the apiserver's Table
/// convertor does: every match, of which the column shows the first.
struct PrinterColumnPath: Sendable {
    enum Step: Sendable, Equatable {
        case field(String)
        case index(Int)
        case all
        /// `[?(@.a.b=="v")]`: the elements whose field at `path` is the string (or scalar text) `value`.
        case filter(path: [String], value: String)
    }

    var steps: [Step]

    /// Nil for a path outside the simple subset.
    init?(_ text: String) {
        var steps: [Step] = []
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("{"), rest.hasSuffix("}") { rest = rest.dropFirst().dropLast() }
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(.field(String(name)))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = Self.closingBracket(in: rest) else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                rest = rest[rest.index(after: close)...]
                if inner == "*" {
                    steps.append(.all)
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else if let quoted = Self.unquoted(inner) {
                    steps.append(.field(quoted))
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")") {
                    let condition = inner.dropFirst(4).dropLast()
                    let parts = condition.components(separatedBy: "==")
                    guard parts.count == 2, let value = Self.unquoted(parts[1].trimmingCharacters(in: .whitespaces))
                        ?? Optional(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
                    steps.append(.filter(path: parts[0].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init),
                                         value: value))
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    func results(in object: JSON) -> [JSON] {
        var current = [object]
        for step in steps {
            current = current.flatMap { value -> [JSON] in
                switch step {
                case .field(let name): return value[name].map { [$0] } ?? []
                case .index(let index):
                    guard let items = value.array else { return [] }
                    let position = index < 0 ? items.count + index : index
                    return items.indices.contains(position) ? [items[position]] : []
                case .all: return value.array ?? value.object.map { Array($0.values) } ?? []
                case .filter(let path, let expected):
                    return (value.array ?? []).filter { item in
                        item[path: path].map { GoValueText.plain($0) == expected } ?? false
                    }
                }
            }
        }
        return current
    }

    private static func closingBracket(in text: Substring) -> String.Index? {
        var quote: Character?
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "]" {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func unquoted(_ text: String) -> String? {
        guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else { return nil }
        return String(text.dropFirst().dropLast())
    }
}
