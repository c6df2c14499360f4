import MedicDiagnosis
import MedicProm

/// Prometheus was asked and failed every query (down, wrong URL, timing out): the one line
/// that goes above the answer, naming what it kept medic from deciding, so "no problems
/// found" is never read as "healthy" when the metrics were simply missing.
struct PrometheusOutage {
    /// `Prometheus at URL failed all 7 queries (…): 1 check of pool-exhaustion not decided.`
    var message: String

    /// The line above the text answer.
    var line: String { "Warning: \(message)" }

    /// nil when at least one query answered, or when none was asked.
    init?(url: String, metrics: [String: MetricData], queries: [String], report: DiagnosisReport) {
        var reasons: [String] = []
        for query in queries {
            guard case .unavailable(let reason) = metrics[query] else { return nil }
            reasons.append(reason)
        }
        guard let reason = reasons.first else { return nil }
        // The checks left undecided because a metric condition had no answer.
        let failed = Set(reasons)
        var runbooks: [String] = []
        var targets = 0
        for check in report.undecided
        where check.conditions.contains(where: { $0.truth == .unknown && failed.contains($0.detail) }) {
            targets += 1
            if !runbooks.contains(check.runbook) { runbooks.append(check.runbook) }
        }
        let kept = targets == 0 ? "no check needed it"
            : "\(targets) check\(targets == 1 ? "" : "s") of \(runbooks.joined(separator: ", ")) not decided"
        message = "Prometheus at \(url) failed all \(queries.count) queries (\(reason)): \(kept)."
    }
}
