import Foundation
import Testing

@testable import MedicRunbook

/// Runbook-style rules over an enriched-view-shaped tree, as the diagnosis stage will run them.
@Suite struct CELRunbookTests {
    static let now = Date(timeIntervalSince1970: 1_714_564_800)

    static func container(
        name: String, reason: String?, minutesAgo: Double, restarts: Int64, env: [String: CELValue] = [:]
    ) -> CELValue {
        var lastTermination: CELValue = nil
        if let reason {
            lastTermination = ["reason": .string(reason), "finishedAt": .timestamp(now.addingTimeInterval(-minutesAgo * 60))]
        }
        return [
            "name": .string(name), "restartCount": .int(restarts), "lastTermination": lastTermination,
            "limits": ["memory": "256Mi", "memoryBytes": 268_435_456], "env": .map(env),
        ]
    }

    static func bindings(containers: [CELValue], namespaceLabels: [String: CELValue] = [:]) -> [String: CELValue] {
        [
            "now": .timestamp(now),
            "workload": [
                "kind": "Deployment", "name": "auth-service", "namespace": "production",
                "containers": .list(containers),
                "namespaceLabels": .map(namespaceLabels),
            ],
        ]
    }

    static let oomKilled = try! CELExpression(
        """
        workload.containers.exists(c, c.lastTermination.reason == "OOMKilled"
          && now - c.lastTermination.finishedAt < duration("30m") && c.restartCount >= 1)
        """)

    @Test func oomKilledMatchesOnlyRecentKills() throws {
        let recent = Self.bindings(containers: [
            Self.container(name: "sidecar", reason: nil, minutesAgo: 0, restarts: 0),
            Self.container(name: "api", reason: "OOMKilled", minutesAgo: 5, restarts: 3),
        ])
        #expect(try Self.oomKilled.evaluateCondition(recent) == true)

        let old = Self.bindings(containers: [Self.container(name: "api", reason: "OOMKilled", minutesAgo: 45, restarts: 3)])
        #expect(try Self.oomKilled.evaluateCondition(old) == false)

        let other = Self.bindings(containers: [Self.container(name: "api", reason: "Error", minutesAgo: 1, restarts: 1)])
        #expect(try Self.oomKilled.evaluateCondition(other) == false)
    }

    @Test func nullSubObjectIsAnErrorUnlessAnotherElementMatches() throws {
        // `c.lastTermination` is null for the sidecar: selecting `.reason` on it is an error,
        // which `exists` absorbs only when another container matches, and `&&` only when
        // another conjunct is false (with 0 restarts, `c.restartCount >= 1` would absorb it).
        let onlySidecar = Self.bindings(containers: [Self.container(name: "sidecar", reason: nil, minutesAgo: 0, restarts: 1)])
        do {
            _ = try Self.oomKilled.evaluateCondition(onlySidecar)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "1:49: cannot select field 'reason' from null_type")
        }
        let guarded = try CELExpression(
            "workload.containers.exists(c, c.lastTermination != null && c.lastTermination.reason == 'OOMKilled')")
        #expect(try guarded.evaluateCondition(onlySidecar) == false)
    }

    @Test func chaosFlagRule() throws {
        let rule = try CELExpression(
            """
            !("chaos" in workload.namespaceLabels && workload.namespaceLabels["chaos"] == "enabled")
              && workload.containers.exists(c, c.env.exists(k,
                   (k.startsWith("CHAOS_") || k.endsWith("_FAILURE_RATE")) && double(c.env[k]) > 0.0))
            """)
        let flagged = Self.bindings(containers: [
            Self.container(name: "api", reason: nil, minutesAgo: 0, restarts: 0, env: ["DB_FAILURE_RATE": "0.3", "PORT": "80"])
        ])
        #expect(try rule.evaluateCondition(flagged) == true)
        let chaosNamespace = Self.bindings(
            containers: [
                Self.container(name: "api", reason: nil, minutesAgo: 0, restarts: 0, env: ["DB_FAILURE_RATE": "0.3"])
            ], namespaceLabels: ["chaos": "enabled"])
        #expect(try rule.evaluateCondition(chaosNamespace) == false)
        let off = Self.bindings(containers: [
            Self.container(name: "api", reason: nil, minutesAgo: 0, restarts: 0, env: ["CHAOS_LATENCY": "0"])
        ])
        #expect(try rule.evaluateCondition(off) == false)
    }

    @Test func summaryAndActionTemplates() throws {
        let bindings = Self.bindings(containers: [Self.container(name: "api", reason: "OOMKilled", minutesAgo: 5, restarts: 3)])
            .merging(["c": Self.container(name: "api", reason: "OOMKilled", minutesAgo: 5, restarts: 3)]) { $1 }
        let summary = try Template(
            "{{ c.name }} in {{ workload.name }} was OOMKilled {{ c.restartCount }}× (limit {{ c.limits.memory }}, {{ now - c.lastTermination.finishedAt }} ago)")
        #expect(try summary.render(bindings) == "api in auth-service was OOMKilled 3× (limit 256Mi, 5m ago)")
        #expect(try Template("{{ c.limits.memoryBytes * 2 }}").evaluate(bindings) == 536_870_912)
        #expect(try Template("{{ workload.containers.map(c, c.name) }}").evaluate(bindings) == ["api"])
    }

    @Test func linterFacts() throws {
        #expect(Self.oomKilled.rootIdentifiers == ["workload", "now"])
        #expect(
            Self.oomKilled.fieldPaths == [
                ["workload", "containers"], ["c", "lastTermination", "reason"], ["now"],
                ["c", "lastTermination", "finishedAt"], ["c", "restartCount"],
            ])
    }

    @Test func twoThousandTargetsTimesSixRulesIsFast() throws {
        let rules = try [
            Self.oomKilled,
            CELExpression("workload.containers.all(c, c.restartCount < 5)"),
            CELExpression("workload.containers.exists_one(c, c.name.matches('^api$'))"),
            CELExpression("workload.containers.filter(c, has(c.limits.memory)).size() > 0 && workload.kind == 'Deployment'"),
            CELExpression("workload.containers.map(c, c.restartCount).exists(n, n > 2) || workload.name.startsWith('x')"),
            CELExpression("size(workload.namespaceLabels) == 0 ? workload.namespace in ['production', 'staging'] : false"),
        ]
        let targets: [[String: CELValue]] = (0..<2000).map { (index: Int) -> [String: CELValue] in
            let reason = index % 3 == 0 ? "OOMKilled" : "Error"
            let api = Self.container(name: "api", reason: reason, minutesAgo: Double(index % 60), restarts: Int64(index % 7))
            let sidecar = Self.container(name: "sidecar", reason: "Completed", minutesAgo: 100, restarts: 0)
            return Self.bindings(containers: [api, sidecar])
        }
        let clock = ContinuousClock()
        var matches = 0
        let elapsed = try clock.measure {
            for bindings in targets {
                for rule in rules where try rule.evaluateCondition(bindings) { matches += 1 }
            }
        }
        // oom-killed: i % 3 == 0, i % 60 < 30, i % 7 != 0 → 288; all restarts < 5 → 1430;
        // restarts > 2 → 1142; the other three rules hold for every target.
        #expect(matches == 288 + 1430 + 1142 + 3 * 2000)
        #expect(elapsed < .seconds(5), "12,000 evaluations took \(elapsed)")
    }
}
