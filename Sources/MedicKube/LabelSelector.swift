/// A workload's label query (`spec.selector` of Deployments, ReplicaSets, StatefulSets,
/// DaemonSets, Jobs). Services use a plain map instead: see `ServiceSpec.selector`.
public struct LabelSelector: Codable, Sendable, Hashable {
    @DefaultEmpty public var matchLabels: [String: String]
    @DefaultEmpty public var matchExpressions: [LabelSelectorRequirement]

    public init(matchLabels: [String: String] = [:], matchExpressions: [LabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Whether an object with `labels` is selected. Every `matchLabels` pair and every
    /// expression must hold; an empty selector selects everything, as the API defines it.
    /// An unknown operator selects nothing rather than guessing.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value {
            return false
        }
        return matchExpressions.allSatisfy { $0.matches(labels) }
    }
}

/// One `matchExpressions` entry: `key` `operator` `values`.
public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
    public var key: String
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    public var `operator`: String
    @DefaultEmpty public var values: [String]

    public init(key: String, operator: String, values: [String] = []) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    /// Whether `labels` satisfy this requirement. `NotIn` holds when the key is absent.
    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch `operator` {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        default: return false
        }
    }
}
