import MedicKube

/// A mapping read strictly: only the declared keys are accepted, so a typo such as `cell:` for
/// `cel:` is an error with a suggestion instead of a silently ignored field.
public struct YAMLMapping: Sendable {
    public let node: YAMLNode
    private let entries: [String: YAMLNode]
    /// Keys in file order, for mappings whose keys are data (env names, labels).
    public let keys: [String]

    public init(_ node: YAMLNode, allowed: [String]?) throws(LoadError) {
        guard case .mapping(let pairs) = node.content else {
            throw node.error("expected a mapping, found \(node.kindName)")
        }
        var entries: [String: YAMLNode] = [:]
        var keys: [String] = []
        for (key, value) in pairs {
            guard case .scalar(let name, _) = key.content else {
                throw key.error("a key must be a plain string")
            }
            if entries[name] != nil {
                throw key.error("duplicate key '\(name)'")
            }
            if let allowed, !allowed.contains(name) {
                var message = "unknown field '\(name)'"
                if let guess = Spelling.closest(to: name, among: allowed) {
                    message += " (did you mean '\(guess)'?)"
                } else {
                    message += " (allowed: \(allowed.joined(separator: ", ")))"
                }
                throw key.error(message)
            }
            entries[name] = value
            keys.append(name)
        }
        self.node = node
        self.entries = entries
        self.keys = keys
    }

    public subscript(key: String) -> YAMLNode? { entries[key] }

    public func required(_ key: String) throws(LoadError) -> YAMLNode {
        guard let value = entries[key] else {
            let field = node.path.isEmpty ? key : "\(node.path).\(key)"
            throw LoadError(file: node.file, line: node.line, column: node.column, field: field,
                            message: "required field is missing")
        }
        return value
    }
}

extension YAMLNode {
    public func mapping(allowed: [String]?) throws(LoadError) -> YAMLMapping {
        try YAMLMapping(self, allowed: allowed)
    }

    public func string() throws(LoadError) -> String {
        guard case .scalar(let value, _) = content else {
            throw error("expected a string, found \(kindName)")
        }
        return value
    }

    public func list() throws(LoadError) -> [YAMLNode] {
        guard case .sequence(let items) = content else {
            throw error("expected a list, found \(kindName)")
        }
        return items
    }

    public func int() throws(LoadError) -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, found '\(text)'") }
        return value
    }

    public func double() throws(LoadError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("expected a number, found '\(text)'") }
        return value
    }

    public func bool() throws(LoadError) -> Bool {
        switch try string() {
        case "true": return true
        case "false": return false
        case let other: throw error("expected true or false, found '\(other)'")
        }
    }

    /// A duration in Prometheus/Go notation (`30s`, `5m`, `1h30m`), in seconds.
    public func duration() throws(LoadError) -> Double {
        let text = try string()
        guard let seconds = GoDuration.seconds(text), seconds > 0 else {
            throw error("expected a duration such as 30s, 5m or 1h30m, found '\(text)'")
        }
        return seconds
    }

    /// One of a closed set of words, with a suggestion when it is misspelt.
    public func oneOf(_ choices: [String]) throws(LoadError) -> String {
        let value = try string()
        guard choices.contains(value) else {
            var message = "'\(value)' is not one of \(choices.joined(separator: ", "))"
            if let guess = Spelling.closest(to: value, among: choices) { message += " (did you mean '\(guess)'?)" }
            throw error(message)
        }
        return value
    }
}
