import Foundation
import MedicKube

/// Prometheus alerting rules that would have paged for what this incident showed, one group per
/// workload found: its error share, p95, restarts and the saturation its runbook is about, at
/// the thresholds the runbooks use. A starting point to review and commit, not to load blindly.
public struct AlertRules: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var alert: String
        public var expr: String
        public var duration: String
        public var severity: String
        public var summary: String
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        public var rules: [Rule]
    }

    public var groups: [Group]

    public init(report: IncidentReport) {
        var targets: [(ObjectRef, String)] = []
        for finding in report.findings where !targets.contains(where: { $0.0 == finding.target }) {
            targets.append((finding.target, finding.runbook))
        }
        groups = targets.map { target, runbook in
            let saturation = ReportMetric.Saturation(runbook: runbook)
            let who = "\(target.namespace)/\(target.name)"
            let query = { (metric: ReportMetric) in metric.promql(for: target, saturation: saturation) }
            var rules = [
                Rule(alert: "ErrorRateHigh", expr: "(\(query(.errorRate))) > 0.05", duration: "2m", severity: "critical",
                     summary: "\(who) answers more than 5% of its requests with 5xx"),
                Rule(alert: "LatencyP95High", expr: "(\(query(.p95Latency))) > 1", duration: "5m", severity: "warning",
                     summary: "\(who) p95 latency is above 1 s"),
                Rule(alert: "ContainersRestarting", expr: "(\(query(.restarts))) > 2", duration: "5m", severity: "warning",
                     summary: "\(who) containers restarted more than twice in 5 minutes"),
            ]
            let (name, text) = switch saturation {
            case .pool: ("ConnectionPoolSaturated", "uses more than 90% of its database connection pool")
            case .memory: ("MemoryNearLimit", "uses more than 90% of its memory limit")
            case .cpu: ("CPUNearLimit", "uses more than 90% of its CPU limit")
            }
            rules.append(Rule(alert: name, expr: "(\(query(.saturation))) > 0.9", duration: "5m", severity: "warning",
                              summary: "\(who) \(text)"))
            return Group(name: "medic-\(target.namespace)-\(target.name)-\(runbook)", rules: rules)
        }
    }

    /// The rules file: `promtool check rules` accepts it. Strings are JSON-quoted, which is
    /// valid YAML, so no PromQL character needs thought.
    public func yaml() -> String {
        var out = "# Suggested by `medic report` from what the incident showed. Review the thresholds before loading.\n"
        out += "groups:\n"
        if groups.isEmpty { return out + "  []\n" }
        for group in groups {
            out += "  - name: \(Self.quote(group.name))\n    rules:\n"
            for rule in group.rules {
                out += "      - alert: \(rule.alert)\n"
                out += "        expr: \(Self.quote(rule.expr))\n"
                out += "        for: \(rule.duration)\n"
                out += "        labels:\n          severity: \(rule.severity)\n"
                out += "        annotations:\n          summary: \(Self.quote(rule.summary))\n"
            }
        }
        return out
    }

    static func quote(_ text: String) -> String {
        let data = try! JSONEncoder().encode(text)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
