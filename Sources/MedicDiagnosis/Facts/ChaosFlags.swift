import Foundation

/// Fault-injection switches left in an environment: variables named like chaos tooling uses
/// (`CHAOS_*`, `*_FAILURE_RATE`, `FAULT_INJECTION*`, …) whose value turns them on. A value of
/// `0`, `false`, `off`, `no`, `disabled` or empty is off: a switched-off flag is not a finding.
public enum ChaosFlags {
    /// Matched by whole `_`-separated words: `CHAOS` anywhere is chaos; otherwise a word that
    /// names a resilience or alerting setting (`FAULT_TOLERANCE_ENABLED`, `CIRCUIT_FAILURE_THRESHOLD`,
    /// `SLO_ERROR_RATE`, `FAULT_DOMAIN`) rules it out, since switching one of those "off" would do
    /// harm; then the prefixes and suffixes chaos tooling uses decide.
    public static func isChaosName(_ name: String) -> Bool {
        let upper = name.uppercased()
        let words = Set(upper.split(separator: "_").map(String.init))
        if words.contains("CHAOS") { return true }
        if !words.isDisjoint(with: notChaosWords) { return false }
        return prefixes.contains(where: upper.hasPrefix) || suffixes.contains(where: upper.hasSuffix)
    }

    /// Words of settings that share chaos tooling's vocabulary but tune resilience or alerting.
    static let notChaosWords: Set<String> = [
        "TOLERANCE", "TOLERANT", "RESILIENCE", "RESILIENT", "RECOVERY", "RECOVER", "RETRY", "RETRIES",
        "HANDLER", "HANDLING", "REPORT", "REPORTING", "DOMAIN", "ZONE", "THRESHOLD", "THRESHOLDS",
        "SLO", "SLA", "BUDGET", "ALERT", "ALERTING", "TARGET", "MAX", "MIN", "LIMIT", "TIMEOUT", "WINDOW",
        "CIRCUIT", "BREAKER",
    ]
    static let prefixes = ["CHAOS_", "FAULT_INJECTION", "INJECT_FAULT", "FAULT_", "INJECT_FAILURE", "INJECT_LATENCY"]
    static let suffixes = ["_FAILURE_RATE", "_ERROR_RATE", "_FAULT_RATE", "_FAULT_INJECTION", "_INJECT_FAILURES",
                           "_INJECTED_LATENCY"]

    public static func isOn(_ value: String) -> Bool {
        let text = value.trimmingCharacters(in: .whitespaces).lowercased()
        if ["", "false", "off", "no", "disabled", "none", "n", "f"].contains(text) { return false }
        if let number = Double(text) { return number != 0 }
        return true
    }

    /// The value that switches a flag off in the notation it was switched on with: `false`
    /// for `true`, `off` for `on`, `no` for `yes`, `disabled` for `enabled`, else `0`.
    public static func offValue(for value: String) -> String {
        switch value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": "false"
        case "on": "off"
        case "yes": "no"
        case "enabled": "disabled"
        default: "0"
        }
    }

    /// The variables of `env` that are chaos switches and on; those set from a ConfigMap or
    /// Secret are left out, because their value is not known and medic does not guess it.
    public static func active(in env: [(name: String, value: String?)]) -> [(name: String, value: String)] {
        env.compactMap { variable in
            guard let value = variable.value, isChaosName(variable.name), isOn(value) else { return nil }
            return (variable.name, value)
        }
    }
}

