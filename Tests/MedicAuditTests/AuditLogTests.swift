import Foundation
import MedicKube
import MedicPolicy
import MedicRemediation
import Synchronization
import Testing
@testable import MedicAudit

@Suite struct AuditLogTests {
    @Test func appendThenVerifyRoundTrip() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try await fixture.writeIncident()
        let head = await log.head
        let lines = try fixture.lines()
        #expect(lines.count == 8)
        #expect(lines[0] == "{\"payload\":{\"log\":\"shop-incidents\"},\"prev\":\"\(AuditChain.genesis(log: "shop-incidents"))\",\"seq\":1,\"time\":\"2026-11-20T03:00:00Z\",\"type\":\"genesis\"}")
        #expect(lines[4] == "{\"action\":\"a1\",\"incident\":\"i1\",\"payload\":{\"body\":\"patched\",\"status\":200},\"prev\":\"\(AuditChain.hash(Data(lines[3].utf8)))\",\"seq\":5,\"target\":{\"kind\":\"Deployment\",\"name\":\"api\",\"namespace\":\"shop\"},\"time\":\"2026-11-20T03:00:04Z\",\"type\":\"outcome\"}")
        #expect(head == "8:\(AuditChain.hash(Data(lines[7].utf8)))")
        #expect(try fixture.verify() == .intact(AuditSummary(log: "shop-incidents", records: 8, sealed: true, head: head)))

        let records = try AuditLog.records(at: fixture.log)
        #expect(records.map(\.type) == [.genesis, .finding, .decision, .intent, .outcome, .verification, .intent, .seal])
        #expect(records[2].payload.verdict == "allowed")
        #expect(records[3].payload.command == "kubectl -n shop rollout restart deployment/api")
        #expect(records[7].payload.records == 7)
    }

    @Test("--audit-stdout: the echo gets each line as the file has it, and the echoed stream verifies on its own")
    func echoCopiesTheChain() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let echoed = Mutex(Data())
        try await fixture.writeIncident(seal: false, echo: { line in echoed.withLock { $0.append(line) } })
        #expect(echoed.withLock { $0 } == (try Data(contentsOf: fixture.log)))
        guard case .intact(let summary) = AuditVerifier.verify(echoed.withLock { $0 }) else { Issue.record("not intact"); return }
        #expect(summary.records == 7)

        // Reopened, the log echoes only what it writes now: the stream continues the chain.
        echoed.withLock { $0 = Data() }
        let reopened = try AuditLog(url: fixture.log, name: "shop-incidents", echo: { line in echoed.withLock { $0.append(line) } })
        let seal = try await reopened.seal(at: AuditFixture.start.addingTimeInterval(500))
        #expect(echoed.withLock { $0 } == (try seal.line()) + Data("\n".utf8))
    }

    @Test func reopeningContinuesTheChain() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        let reopened = try AuditLog(url: fixture.log, name: "ignored-for-an-existing-log")
        #expect(reopened.name == "shop-incidents")
        try await reopened.append(.rollback(incident: "i2", action: "a2", target: AuditFixture.worker, detail: "still failing"),
                                  at: AuditFixture.start.addingTimeInterval(500))
        guard case .intact(let summary) = try fixture.verify() else { Issue.record("not intact"); return }
        #expect(summary.records == 9)
        #expect(!summary.sealed)
    }

    @Test func fsyncedAppendsAreFastEnough() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try AuditLog(url: fixture.log, name: "speed")
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for index in 0..<200 {
                try await log.append(.outcome(incident: "i", action: "a\(index)", target: AuditFixture.api, status: 200, body: ""))
            }
        }
        #expect(elapsed < .seconds(20), "200 fsynced appends took \(elapsed)")
        #expect(try fixture.verify() == .intact(AuditSummary(log: "speed", records: 201, sealed: false, head: await log.head)))
    }

    @Test func aLogEndingInAPartialLineIsNotAppendedTo() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        var data = try Data(contentsOf: fixture.log)
        data.removeLast(10)
        try data.write(to: fixture.log)
        #expect(throws: AuditError(.truncated, "the audit log \(fixture.log.path) ends in a partial line (line 8); run `medic audit verify` on it and start a new log")) {
            _ = try AuditLog(url: fixture.log, name: "x")
        }
    }

    @Test func outcomeBodiesAreCut() {
        let event = AuditEvent.outcome(incident: "i", action: "a", target: AuditFixture.api, status: 422,
                                       body: String(repeating: "x", count: 600))
        #expect(event.payload.body == String(repeating: "x", count: 512) + "…")
    }

    @Test func decisionRecordsTheCappedCommandAndReasons() {
        let remediation = Remediation(target: AuditFixture.api, action: .scale(replicas: 30))
        let capped = Remediation(target: AuditFixture.api, action: .scale(replicas: 10))
        let event = AuditEvent.decision(incident: "i", action: "a", remediation: remediation,
                                        decision: .capped(capped, reasons: [Reason(.cap, "scale to 30 replicas capped to 10 by caps.maxReplicas 10")]))
        #expect(event.payload.verdict == "capped")
        #expect(event.payload.command == "kubectl -n shop scale deployment/api --replicas=10")
        #expect(event.payload.reasons == ["cap: scale to 30 replicas capped to 10 by caps.maxReplicas 10"])
    }

    /// A notify sends nothing, so its message is all the report can tell the human.
    @Test func notifyDecisionRecordsItsMessageMasked() {
        let remediation = Remediation(target: AuditFixture.api, action: .notify(message: "the code leaks; DB_PASSWORD=hunter2 is wrong"))
        let event = AuditEvent.decision(incident: "i", action: "a", remediation: remediation, decision: .allow)
        #expect(event.payload.detail == "the code leaks; DB_PASSWORD=**** is wrong")
        #expect(event.payload.command == nil)
    }
}
