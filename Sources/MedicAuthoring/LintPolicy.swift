import Foundation
import MedicPolicy
import MedicRemediation
import MedicRunbook

/// The policy side of `medic lint`: policy files are loaded as medic would load them, and with
/// `--policy`, runbook actions the policy refuses whatever the cluster looks like are pointed
/// out at the action, because such an action can only ever be shown, never taken.
public enum LintPolicy {
    /// True for a YAML file whose top-level `kind` is `Policy`; anything else is linted as a runbook.
    public static func isPolicy(file path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let root = try? YAMLNode.parse(text, file: path),
              let kind = try? root.mapping(allowed: nil)["kind"]?.string() else { return false }
        return kind == "Policy"
    }

    /// The policy, or the error loading it reports, at its `file:line:col`.
    public static func lint(file path: String) -> (Policy?, [LintDiagnostic]) {
        do {
            return (try PolicyLoader.loadFile(URL(fileURLWithPath: path)), [])
        } catch {
            let message = error.field.isEmpty ? error.message : "\(error.field): \(error.message)"
            return (nil, [LintDiagnostic(file: error.file, line: error.line, column: error.column, severity: .error,
                                         message: message)])
        }
    }

    /// A warning at each runbook action `policy` denies in every namespace, for every target and
    /// at every time. Only what is decidable from the runbook text counts: the action type, and
    /// for `set-env`/`unset-env` the variable names when they are written literally. Caps are not
    /// checked here: whether a value exceeds one depends on values known only when it runs.
    public static func alwaysDenied(_ runbooks: [Linter.Loaded], by policy: Policy) -> [LintDiagnostic] {
        var diagnostics: [LintDiagnostic] = []
        for loaded in runbooks {
            for (optionIndex, option) in loaded.runbook.remediation.enumerated() {
                for (actionIndex, action) in option.actions.enumerated() {
                    for refusal in refusals(action, by: policy) {
                        diagnostics.append(LintDiagnostic(
                            file: loaded.runbook.file, line: action.line, column: action.column, severity: .warning,
                            message: "remediate[\(optionIndex)].actions[\(actionIndex)]: policy '\(policy.name)' "
                                + "always denies \(action.kind.rawValue): \(refusal)"))
                    }
                }
            }
        }
        return diagnostics
    }

    /// Why `policy` refuses `action` wherever and whenever it is proposed; empty when it may not.
    static func refusals(_ action: Runbook.ActionSpec, by policy: Policy) -> [String] {
        guard action.kind != .notify else { return [] }
        var refusals: [String] = []
        if let everything = policy.namespaces.exclude.first(where: { $0.pattern.allSatisfy { $0 == "*" } }) {
            refusals.append("namespaces.exclude (\(everything.pattern)) excludes every namespace")
        }
        let kind = action.kind
        guard let rule = policy.actions.rules[kind] else {
            if policy.actions.defaultPermission == .denied {
                refusals.append("\(kind.rawValue) is not listed in actions, so actions.default applies (denied)")
            }
            return refusals
        }
        guard let patterns = rule.envNames else {
            if rule.permission == .denied { refusals.append("actions.\(kind.rawValue) is denied") }
            return refusals
        }
        let listed = patterns.map(\.pattern).joined(separator: ", ")
        guard let names = literalEnvNames(action) else {
            if rule.permission == .denied && rule.otherwise == .denied {
                refusals.append("actions.\(kind.rawValue) is denied for every variable name (permission and otherwise)")
            }
            return refusals
        }
        let outside = names.filter { name in !patterns.contains { $0.matches(name) } }
        if outside.isEmpty, rule.permission == .denied {
            refusals.append("actions.\(kind.rawValue) is denied")
        } else if !outside.isEmpty, rule.otherwise == .denied {
            refusals.append("\(kind.rawValue) of \(outside.joined(separator: ", ")) is outside actions.\(kind.rawValue)"
                + ".envNames (\(listed)), so otherwise applies (denied)")
        }
        return refusals
    }

    /// The variable names a `set-env` or `unset-env` touches (its descriptor's
    /// `envNamesParameter`: a map's keys, a list, or one name), when none is a template.
    private static func literalEnvNames(_ action: Runbook.ActionSpec) -> [String]? {
        let templates: [Template]
        switch action.kind.descriptor.envNamesParameter.flatMap({ action.parameters[$0] }) {
        case .map(let entries)?: templates = entries.map(\.key)
        case .list(let items)?: templates = items
        case .template(let item)?: templates = [item]
        case nil: return nil
        }
        guard templates.allSatisfy(\.expressions.isEmpty) else { return nil }
        return templates.map(\.source)
    }
}
