import MedicKube
import MedicRunbook

/// Why one runbook did or did not match one target (and one `each` element): every condition
/// evaluated with its result and detail. What `medic explain` prints and what a failing
/// `medic test` shows next to the expected and actual findings.
public struct Explanation: Sendable {
    public enum Outcome: String, Sendable {
        case finding
        case noMatch = "no match"
        case unknown
    }

    public var runbook: String
    public var target: ObjectRef
    /// The `each` element the conditions ran for (its `name`, else its value), nil without `each`.
    public var element: String?
    /// In evaluation order; a CEL condition that fails ends the list (later ones did not run).
    public var conditions: [ConditionResult]
    public var outcome: Outcome
    /// Condition id → the fields its expression read and their values (`c.restartCount = 5`).
    public var observed: [String: [String]] = [:]

    /// What each expression condition that ran read, for `observed`.
    static func observe(_ runbook: Runbook, results: [ConditionResult], bindings: [String: CELValue]) -> [String: [String]] {
        var observed: [String: [String]] = [:]
        for case .cel(let condition) in runbook.conditions where results.contains(where: { $0.id == condition.id }) {
            observed[condition.id] = condition.expression.observations(bindings)
        }
        return observed
    }

    static func describe(_ element: CELValue) -> String {
        if case .map(let fields) = element, case .string(let name)? = fields["name"] { return name }
        let text = element.renderedString
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// `Deployment production/cart [c=cart]: no match` and one line per condition, indented.
    public func render(eachVariable: String? = nil) -> String {
        var head = "\(runbook) on \(target.description)"
        if let element { head += " [\(eachVariable.map { "\($0)=" } ?? "")\(element)]" }
        var lines = ["\(head): \(outcome.rawValue)"]
        for condition in conditions {
            let optional = condition.required ? "" : " (evidence only)"
            let detail = condition.detail.isEmpty ? "" : ": \(condition.detail)"
            lines.append("    \(condition.truth.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) "
                + "\(condition.id)\(optional)\(detail)")
            for value in observed[condition.id] ?? [] {
                lines.append("              \(value)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
