import Foundation
import Testing
@testable import MedicAudit

@Suite struct AuditTimelineTests {
    static let expected = """
    audit log 'shop-incidents': 8 records, 2026-11-20T03:00:00Z to 2026-11-20T03:06:41Z

    2026-11-20 (UTC)
    03:00:00  log        -                                         log 'shop-incidents' opened
    03:00:01  finding    Deployment shop/api                       pool-exhaustion (high): api's connection pool is full at flat traffic — evidence: pool 20/20 in use for 10m
    03:00:02  decision   Deployment shop/api                       rollout-restart [a1] → ALLOWED
    03:00:03  intent     Deployment shop/api                       rollout-restart [a1] in apply mode: kubectl -n shop rollout restart deployment/api
    03:00:04  outcome    Deployment shop/api                       OK 200 [a1]: patched
    03:05:00  verified   Deployment shop/api                       FIXED [a1]: pool below 50% for 5m
    03:06:40  intent     Deployment shop/worker                    rollout-restart [a2] in apply mode: kubectl -n shop rollout restart deployment/worker
    03:06:41  seal       -                                         sealed after 7 records

    IN FLIGHT: started, no outcome recorded. Check these objects before acting on them again:
      a2 rollout-restart on Deployment shop/worker since 2026-11-20T03:06:40Z

    """

    @Test func readableTimeline() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        #expect(AuditTimeline(try AuditLog.records(at: fixture.log)).render() == Self.expected)
    }

    @Test func filteredByTarget() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        let timeline = AuditTimeline(try AuditLog.records(at: fixture.log))
        let worker = timeline.render(target: "shop/worker")
        #expect(worker.hasPrefix("audit log 'shop-incidents': 8 records, 2026-11-20T03:00:00Z to 2026-11-20T03:06:41Z, 1 about shop/worker\n"))
        #expect(worker.contains("03:06:40  intent     Deployment shop/worker"))
        #expect(!worker.contains("shop/api"))
        #expect(timeline.render(target: "Deployment/shop/api").components(separatedBy: "Deployment shop/api").count - 1 == 5)
    }
}
