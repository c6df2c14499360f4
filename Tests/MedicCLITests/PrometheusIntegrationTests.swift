import Foundation
import MedicProm
import Testing

/// `medic advise --prometheus` against the real Prometheus (Debian package) on 127.0.0.1,
/// with each incident's history backfilled by promtool, evaluated at a past instant.
@Suite(.serialized) struct PrometheusIntegrationTests {
    private func advise(_ snapshot: URL, metrics: URL) async throws -> (MedicBinary.Result, [[String: Any]]) {
        let prometheus = try await LocalPrometheus.start(backfill: try String(contentsOf: metrics, encoding: .utf8))
        let result: MedicBinary.Result
        do {
            result = try MedicBinary.run(["advise", "--snapshot", snapshot.path, "--prometheus", prometheus.baseURL,
                                          "--at", MedicBinary.instant, "--output", "json"])
        } catch {
            await prometheus.stop()
            throw error
        }
        await prometheus.stop()
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (result, document?["findings"] as? [[String: Any]] ?? [])
    }

    /// The findings that are not RED symptoms; each symptom must sit under a cause: the 5xx
    /// share a pool leak causes is its symptom, never a second problem.
    private func faults(_ findings: [[String: Any]]) -> [[String: Any]] {
        for symptom in findings where symptom["runbook"] as? String == "error-rate-rise" {
            #expect(!causes(symptom).isEmpty, "\(symptom)")
        }
        return findings.filter { $0["runbook"] as? String != "error-rate-rise" }
    }

    private func causes(_ finding: [String: Any]) -> [String] { finding["causedBy"] as? [String] ?? [] }

    private func commands(_ finding: [String: Any]?) -> [String] {
        (finding?["actions"] as? [[String: Any]] ?? []).compactMap { $0["command"] as? String }
    }

    @Test func cloudMartLeakIsFoundWithEveryOtherFault() async throws {
        let (result, findings) = try await advise(MedicBinary.incident.appendingPathComponent("snapshot.json"),
                                                  metrics: MedicBinary.incident.appendingPathComponent("metrics.om"))
        #expect(result.status == 1)
        #expect(Set(faults(findings).compactMap { $0["runbook"] as? String })
            == ["pool-exhaustion", "oom-killed", "selector-mismatch", "probe-port", "chaos-flag", "bad-image"])
        // order-service's 5xx share is what users feel of its leak.
        let errors = findings.first { $0["id"] as? String == "error-rate-rise/Service/production/order-service" }
        #expect(causes(errors ?? [:]).contains("pool-exhaustion/Deployment/production/order-service"), "\(findings)")
        let pool = findings.first { $0["runbook"] as? String == "pool-exhaustion" }
        #expect(commands(pool) == ["kubectl -n production rollout restart deployment/order-service"])
        #expect((pool?["summary"] as? String)?.hasSuffix("traffic is flat, connections are leaking") == true)
        let chaos = findings.first { $0["runbook"] as? String == "chaos-flag" }
        #expect((chaos?["evidence"] as? [String])?.contains("errors: 0.5 above 0.01 (namespace=production, service=database-service)") == true)
    }

    @Test func leakAtFlatTrafficRestarts() async throws {
        let (_, findings) = try await advise(MedicBinary.fixtures.appendingPathComponent("pool.json"),
                                             metrics: MedicBinary.fixtures.appendingPathComponent("pool-leak.om"))
        let found = faults(findings)
        #expect(found.count == 1)
        #expect(commands(found.first) == ["kubectl -n production rollout restart deployment/order-service"])
    }

    @Test func trafficSpikeRaisesThePool() async throws {
        let (_, findings) = try await advise(MedicBinary.fixtures.appendingPathComponent("pool.json"),
                                             metrics: MedicBinary.fixtures.appendingPathComponent("pool-traffic.om"))
        let found = faults(findings)
        #expect(found.count == 1)
        let command = commands(found.first).first ?? ""
        #expect(command.hasPrefix("kubectl -n production set env deployment/order-service -c "))
        #expect(command.hasSuffix(" DB_POOL_SIZE=40"))
    }

    @Test func healthyPoolIsNoFinding() async throws {
        let (result, findings) = try await advise(MedicBinary.fixtures.appendingPathComponent("pool.json"),
                                                  metrics: MedicBinary.fixtures.appendingPathComponent("pool-healthy.om"))
        #expect(result.status == 0)
        #expect(findings.isEmpty)
    }
}
