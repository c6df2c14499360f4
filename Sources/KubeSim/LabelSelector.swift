import MedicKube
import Foundation

/// A label selector, from the `labelSelector=` query syntax or a workload's `spec.selector`.
/// One type for both so controllers and list filtering can never disagree on what matches.
struct LabelSelector: Sendable, Equatable {
    enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, [String])
        case notIn(String, [String])
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement]

    static let everything = LabelSelector(requirements: [])

    /// Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
    init(parsing text: String) throws(APIError) {
        var requirements: [Requirement] = []
        for term in LabelSelector.splitTerms(text) {
            let trimmed = term.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            requirements.append(try LabelSelector.requirement(trimmed))
        }
        self.requirements = requirements
    }

    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// A workload's `spec.selector` (`matchLabels` and `matchExpressions`).
    init(selector: JSON?) {
        var requirements: [Requirement] = []
        for (key, value) in (selector?["matchLabels"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            requirements.append(.equals(key, value.string ?? ""))
        }
        for expression in selector?["matchExpressions"]?.array ?? [] {
            let key = expression["key"]?.string ?? ""
            let values = (expression["values"]?.array ?? []).compactMap(\.string)
            switch expression["operator"]?.string {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: continue
            }
        }
        self.requirements = requirements
    }

    /// A Service's `spec.selector` map; an empty map selects nothing, unlike the query syntax.
    init(equalities: [String: JSON]) {
        requirements = equalities.sorted(by: { $0.key < $1.key }).map { .equals($0.key, $0.value.string ?? "") }
    }

    func matches(_ labels: [String: JSON]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key]?.string == value
            case .notEquals(let key, let value): labels[key]?.string != value
            case .isIn(let key, let values): labels[key]?.string.map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key]?.string.map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    func matches(object: JSON) -> Bool {
        matches(object[path: ["metadata", "labels"]]?.object ?? [:])
    }

    /// The query-string form, as the Scale subresource and kubectl show it.
    var text: String {
        requirements.map { requirement in
            switch requirement {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .isIn(let key, let values): "\(key) in (\(values.joined(separator: ",")))"
            case .notIn(let key, let values): "\(key) notin (\(values.joined(separator: ",")))"
            case .exists(let key): key
            case .doesNotExist(let key): "!\(key)"
            }
        }.joined(separator: ",")
    }

    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                terms.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        return terms
    }

    private static func requirement(_ term: String) throws(APIError) -> Requirement {
        if term.hasPrefix("!") { return .doesNotExist(String(term.dropFirst()).trimmingCharacters(in: .whitespaces)) }
        for (op, build) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.range(of: op) {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let value = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                return build(key, value)
            }
        }
        for (op, build) in [(" notin ", Requirement.notIn), (" in ", Requirement.isIn)] {
            if let range = term.range(of: op),
               let open = term.firstIndex(of: "("), let close = term.lastIndex(of: ")"), open < close {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let values = term[term.index(after: open)..<close].split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                return build(key, values)
            }
        }
        if term.contains(" ") || term.contains("(") {
            throw APIError.badRequest("unable to parse requirement: found '\(term)', expected: '=', '!=', '==', 'in', notin'")
        }
        return .exists(term)
    }
}

/// `fieldSelector=` over any dotted path of the object (`metadata.name=web`,
/// `involvedObject.uid=…`, `status.phase!=Running`).
struct FieldSelector: Sendable {
    var terms: [(path: [String], value: String, negated: Bool)]

    static let everything = FieldSelector(terms: [])

    init(terms: [(path: [String], value: String, negated: Bool)]) {
        self.terms = terms
    }

    init(parsing text: String) throws(APIError) {
        var terms: [(path: [String], value: String, negated: Bool)] = []
        for term in text.split(separator: ",") {
            let negated = term.contains("!=")
            let parts = term.split(separator: negated ? "!=" : (term.contains("==") ? "==" : "="), maxSplits: 1,
                                   omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            terms.append((parts[0].split(separator: ".").map(String.init), String(parts[1]), negated))
        }
        self.terms = terms
    }

    func matches(_ object: JSON) -> Bool {
        terms.allSatisfy { term in
            let actual: String = switch object[path: term.path] {
            case .string(let text): text
            case .int(let number): String(number)
            case .bool(let flag): String(flag)
            default: ""
            }
            return (actual == term.value) != term.negated
        }
    }
}
