import Foundation
import MedicKube
import MedicProm
import MedicRunbook

/// The threshold and `for` logic of a metric condition, applied by medic to the samples
/// Prometheus returned: the condition holds when the latest sample is current and every
/// sample back to `now - for` satisfies the comparison without a gap. A stale or missing
/// series is unknown; a series that crossed the line recently is "pending", which fails.
enum MetricWindow {
    static func evaluate(_ condition: Runbook.MetricCondition, series: [Series], at now: Date) -> ConditionResult {
        let outcomes = series.sorted { describe($0.labels) < describe($1.labels) }
            .map { evaluate(condition, samples: $0.samples, at: now, labels: $0.labels) }
        return outcomes.first { $0.truth == .holds }
            ?? outcomes.first { $0.truth == .fails }
            ?? outcomes.first
            ?? ConditionResult(id: condition.id, truth: .unknown, required: condition.required,
                               detail: "no series for this target", value: nil)
    }

    private static func evaluate(_ condition: Runbook.MetricCondition, samples: [Sample], at now: Date,
                                 labels: [String: String]) -> ConditionResult {
        let where_ = labels.isEmpty ? "" : " (\(describe(labels)))"
        var result = ConditionResult(id: condition.id, truth: .unknown, required: condition.required,
                                     detail: "", value: nil)
        let usable = samples.filter { $0.time <= now.addingTimeInterval(0.001) }.sorted { $0.time < $1.time }
        guard let latest = usable.last, now.timeIntervalSince(latest.time) <= condition.step * 1.5 else {
            result.detail = "no current sample\(where_)"
            return result
        }
        guard latest.value.isFinite else {
            result.detail = latest.value.isNaN
                ? "no value to judge by: the query gives NaN (0/0: nothing was counted in its window)\(where_)"
                : "the current value is \(latest.value)\(where_)"
            return result
        }
        result.value = latest.value
        let threshold = condition.comparison.description
        guard condition.comparison.holds(latest.value) else {
            result.truth = .fails
            result.detail = "\(format(latest.value)) is not \(threshold)\(where_)"
            return result
        }
        var since = latest.time
        var previous = latest
        for sample in usable.dropLast().reversed() {
            guard previous.time.timeIntervalSince(sample.time) <= condition.step * 1.5,
                  sample.value.isFinite, condition.comparison.holds(sample.value) else { break }
            since = sample.time
            previous = sample
        }
        let held = latest.time.timeIntervalSince(since)
        if held + 0.001 >= condition.window {
            result.truth = .holds
            result.detail = condition.window > 0
                ? "\(format(latest.value)) \(threshold) for at least \(GoDuration.compact(condition.window))\(where_)"
                : "\(format(latest.value)) \(threshold)\(where_)"
        } else {
            result.truth = .fails
            result.detail = "\(format(latest.value)) \(threshold) for only \(GoDuration.compact(held)) "
                + "of the \(GoDuration.compact(condition.window)) required\(where_)"
        }
        return result
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.3g", value)
    }

    static func describe(_ labels: [String: String]) -> String {
        labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ", ")
    }
}

extension Runbook.MetricCondition.Comparison: CustomStringConvertible {
    public var description: String {
        switch self {
        case .above(let threshold): "above \(MetricWindow.format(threshold))"
        case .below(let threshold): "below \(MetricWindow.format(threshold))"
        }
    }
}
