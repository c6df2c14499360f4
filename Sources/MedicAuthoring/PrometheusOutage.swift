import MedicDiagnosis
import MedicProm

/// Prometheus was asked and failed some or all queries (down, wrong URL, timing out, a query
/// it rejects): the one line that goes above the answer, naming what it kept medic from
/// deciding, so "no problems found" is never read as "healthy" when the metrics were simply
/// missing.
public struct PrometheusOutage {
    /// `Prometheus at URL failed all 7 queries (…): 1 check of pool-exhaustion not decided.`
    /// or `Prometheus at URL failed 2 of 7 queries (…): pool-exhaustion on 3 targets (production/api, production/web, …) not decided.`
    public var message: String

    /// The line above the text answer.
    public var line: String { "Warning: \(message)" }

    /// nil when every query answered, when none was asked, or when only some failed and no
    /// check needed them.
    public init?(url: String, metrics: [String: MetricData], queries: [String], report: DiagnosisReport) {
        var reasons: [String] = []
        for query in queries {
            if case .unavailable(let reason) = metrics[query] { reasons.append(reason) }
        }
        guard let reason = reasons.first else { return nil }
        let all = reasons.count == queries.count
        // The checks left undecided because a metric condition had no answer.
        let failed = Set(reasons)
        let kept = report.undecided.filter { check in
            check.conditions.contains { $0.truth == .unknown && failed.contains($0.detail) }
        }
        let count = all ? "all \(queries.count) queries" : "\(reasons.count) of \(queries.count) queries"
        let consequence: String
        if kept.isEmpty {
            guard all else { return nil }
            consequence = "no check needed it"
        } else if all {
            var runbooks: [String] = []
            for check in kept where !runbooks.contains(check.runbook) { runbooks.append(check.runbook) }
            consequence = "\(kept.count) check\(kept.count == 1 ? "" : "s") of \(runbooks.joined(separator: ", ")) not decided"
        } else {
            // Only some failed: name each runbook it kept from deciding, and on what.
            var runbooks: [String] = []
            for check in kept where !runbooks.contains(check.runbook) { runbooks.append(check.runbook) }
            consequence = runbooks.map { runbook in
                let targets = kept.filter { $0.runbook == runbook }.map(\.target)
                guard targets.count > 1 else { return "\(runbook) on \(targets[0])" }
                let names = targets.prefix(2).map { "\($0.namespace)/\($0.name)" }.joined(separator: ", ")
                return "\(runbook) on \(targets.count) targets (\(names)\(targets.count > 2 ? ", …" : ""))"
            }.joined(separator: "; ") + " not decided"
        }
        message = "Prometheus at \(url) failed \(count) (\(reason)): \(consequence)."
    }
}
