import Foundation
import MedicKube
import MedicRemediation
import Testing
@testable import MedicAudit

/// `ActionLedger.mark(of:)`: which records change what a decision about a target read.
@Suite struct ActionLedgerMarkTests {
    @Test("records about one target move only its mark; what was sent or verified moves every mark")
    func marks() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let (api, worker) = (AuditFixture.api, AuditFixture.worker)
        let log = try AuditLog(url: fixture.log, name: "marks", now: AuditFixture.start)
        let restart = Remediation(target: api, action: .rolloutRestart)
        var time = AuditFixture.start
        func append(_ event: AuditEvent) async throws -> (api: Int, worker: Int) {
            time += 1
            try await log.append(event, at: time)
            let ledger = await log.ledger
            return (ledger.mark(of: [api]), ledger.mark(of: [worker]))
        }
        let before = await log.ledger
        let (api0, worker0) = (before.mark(of: [api]), before.mark(of: [worker]))

        let found = try await append(.finding(incident: "i1", target: api, runbook: "pool-exhaustion", severity: "high",
                                              summary: "pool full", evidence: []))
        #expect(found.api > api0 && found.worker == worker0)
        let decided = try await append(.decision(incident: "i1", action: "a1", remediation: restart, decision: .allow))
        #expect(decided.api > found.api && decided.worker == worker0)
        let approved = try await append(.approval(incident: "i1", action: "a1", target: api, approver: "ana", approved: true))
        #expect(approved.api > decided.api && approved.worker == worker0)

        let sent = try await append(.intent(incident: "i1", action: "a1", remediation: restart, mode: .apply, method: "PATCH",
                                            path: "/apis/apps/v1/namespaces/shop/deployments/api"))
        #expect(sent.api > approved.api && sent.worker > worker0, "what was sent is read across targets (rate limits, recent fixes)")
        let answered = try await append(.outcome(incident: "i1", action: "a1", target: api, status: 200, body: "patched"))
        #expect(answered.worker > sent.worker)
        let verified = try await append(.verification(incident: "i1", action: "a1", target: api, passed: true, detail: "cleared"))
        #expect(verified.worker > answered.worker, "a verification closes an incident whose finding may be on another target")
        // The mark of several targets is the latest of theirs.
        #expect(await log.ledger.mark(of: [api, worker]) == verified.api)
    }
}
