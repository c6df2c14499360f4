import Foundation
import MedicProm
import MedicRunbook
import Testing
@testable import MedicDiagnosis

@Suite struct MetricWindowTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func condition(above threshold: Double = 0.9, for window: Double = 300) -> Runbook.MetricCondition {
        .init(id: "pool", promql: "x", comparison: .above(threshold), window: window, step: 30, required: true,
              description: nil)
    }

    /// Samples every 30 s ending at `now`, oldest first.
    func series(_ values: [Double], labels: [String: String] = ["pod": "a"], endingAt end: Date? = nil) -> Series {
        let end = end ?? now
        let samples = values.enumerated().map { index, value in
            Sample(time: end.addingTimeInterval(Double(index - values.count + 1) * 30), value: value)
        }
        return Series(labels: labels, samples: samples)
    }

    @Test func holdsWhenEverySampleOfTheWindowIsAbove() {
        let result = MetricWindow.evaluate(condition(), series: [series(Array(repeating: 0.95, count: 12))], at: now)
        #expect(result.truth == .holds)
        #expect(result.value == 0.95)
        #expect(result.detail == "0.95 above 0.9 for at least 5m (pod=a)")
    }

    @Test func recentCrossingIsPendingNotHolding() {
        let values = Array(repeating: 0.5, count: 6) + Array(repeating: 0.95, count: 6)
        let result = MetricWindow.evaluate(condition(), series: [series(values)], at: now)
        #expect(result.truth == .fails)
        #expect(result.detail == "0.95 above 0.9 for only 2m30s of the 5m required (pod=a)")
    }

    @Test func belowThresholdFails() {
        let result = MetricWindow.evaluate(condition(), series: [series([0.95, 0.95, 0.4])], at: now)
        #expect(result.truth == .fails)
        #expect(result.detail == "0.4 is not above 0.9 (pod=a)")
    }

    @Test func aGapBreaksTheWindow() {
        var gappy = series(Array(repeating: 0.95, count: 12))
        gappy.samples.remove(at: 5)
        let result = MetricWindow.evaluate(condition(), series: [gappy], at: now)
        #expect(result.truth == .fails)
    }

    @Test func staleSeriesIsUnknownNotHealthy() {
        let old = series(Array(repeating: 0.95, count: 12), endingAt: now.addingTimeInterval(-600))
        let result = MetricWindow.evaluate(condition(), series: [old], at: now)
        #expect(result.truth == .unknown)
        #expect(result.detail == "no current sample (pod=a)")
    }

    @Test func noSeriesIsUnknown() {
        let result = MetricWindow.evaluate(condition(), series: [], at: now)
        #expect(result.truth == .unknown)
        #expect(result.detail == "no series for this target")
    }

    @Test func notANumberIsUnknown() {
        let result = MetricWindow.evaluate(condition(), series: [series([0.95, .nan])], at: now)
        #expect(result.truth == .unknown)
        #expect(result.detail == "no value to judge by: the query gives NaN (0/0: nothing was counted in its window) (pod=a)")
    }

    @Test func anySeriesHoldingDecides() {
        let healthy = series(Array(repeating: 0.3, count: 12), labels: ["pod": "a"])
        let saturated = series(Array(repeating: 0.99, count: 12), labels: ["pod": "b"])
        let result = MetricWindow.evaluate(condition(), series: [healthy, saturated], at: now)
        #expect(result.truth == .holds)
        #expect(result.detail.hasSuffix("(pod=b)"))
    }

    @Test func aKnownFalseBeatsAnUnknownSibling() {
        let healthy = series(Array(repeating: 0.3, count: 12), labels: ["pod": "a"])
        let stale = series([0.99], labels: ["pod": "b"], endingAt: now.addingTimeInterval(-900))
        #expect(MetricWindow.evaluate(condition(), series: [stale, healthy], at: now).truth == .fails)
    }

    @Test func instantConditionNeedsOnlyTheCurrentSample() {
        let result = MetricWindow.evaluate(condition(above: 0.01, for: 0), series: [series([0.2])], at: now)
        #expect(result.truth == .holds)
        #expect(result.detail == "0.2 above 0.01 (pod=a)")
    }

    @Test func belowComparison() {
        let low = Runbook.MetricCondition(id: "low", promql: "x", comparison: .below(1), window: 60, step: 30,
                                          required: true, description: nil)
        #expect(MetricWindow.evaluate(low, series: [series([0.5, 0.5, 0.5])], at: now).truth == .holds)
        #expect(MetricWindow.evaluate(low, series: [series([0.5, 2, 0.5])], at: now).truth == .fails)
    }

    @Test func joinPlacesSeriesOnTheirWorkload() {
        let join = MetricJoin([
            Series(labels: ["namespace": "prod", "service": "orders"], samples: []),
            Series(labels: ["namespace": "prod", "pod": "web-1"], samples: []),
            Series(labels: ["namespace": "other", "service": "orders"], samples: []),
            Series(labels: ["service": "orders"], samples: []),
        ])
        let identity = MetricJoin.Identity(namespace: "prod", names: ["service": ["orders"], "pod": ["web-1"]])
        #expect(join.series(for: identity).count == 2)
        let stranger = MetricJoin.Identity(namespace: "prod", names: ["service": ["billing"]])
        #expect(join.series(for: stranger).isEmpty)
    }
}
