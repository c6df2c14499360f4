import Testing
@testable import MedicDiagnosis
import MedicProm

/// The label postings behind the selector and metric joins.
struct LabelIndexTests {
    static let items: [(namespace: String, labels: [String: String])] = [
        ("shop", ["app": "web", "tier": "front"]),
        ("shop", ["app": "web", "tier": "back"]),
        ("shop", ["app": "api", "tier": "front"]),
        ("other", ["app": "web", "tier": "front"]),
        ("shop", ["app": "web", "tier": "front", "canary": "true"]),
    ]
    static let index = LabelIndex(count: items.count) { items[$0] }

    @Test func aSelectorMatchesItemsCarryingEveryLabelInItsNamespaceInListOrder() {
        #expect(Self.index.matching(["app": "web", "tier": "front"], in: "shop") == [0, 4])
        #expect(Self.index.matching(["app": "web"], in: "shop") == [0, 1, 4])
        #expect(Self.index.matching(["app": "web"], in: "other") == [3])
        #expect(Self.index.matching(["app": "web", "canary": "true"], in: "shop") == [4])
    }

    @Test func aLabelNobodyCarriesOrAnEmptySelectorMatchesNothing() {
        #expect(Self.index.matching(["app": "web", "tier": "middle"], in: "shop").isEmpty)
        #expect(Self.index.matching(["app": "db"], in: "shop").isEmpty)
        #expect(Self.index.matching([:], in: "shop").isEmpty)
        #expect(Self.index.matching(["app": "web"], in: "nowhere").isEmpty)
    }

    @Test func aMetricJoinKeepsPrometheusOrderAndTakesASeriesOnce() {
        let series = [
            Series(labels: ["namespace": "shop", "pod": "web-1", "service": "web"], samples: []),
            Series(labels: ["pod": "web-1"], samples: []),
            Series(labels: ["namespace": "shop", "service": "api"], samples: []),
            Series(labels: ["namespace": "shop", "deployment": "web"], samples: []),
            Series(labels: ["namespace": "other", "service": "web"], samples: []),
        ]
        let join = MetricJoin(series)
        let identity = MetricJoin.Identity(namespace: "shop",
                                           names: ["service": ["web"], "pod": ["web-1"], "deployment": ["web"]])
        #expect(join.series(for: identity).map(\.labels) == [series[0].labels, series[3].labels])
    }
}
