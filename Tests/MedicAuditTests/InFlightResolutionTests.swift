import Foundation
import MedicKube
import Testing
@testable import MedicAudit

@Suite("resolving an in-flight action")
struct InFlightResolutionTests {
    @Test("not-applied clears it; applied leaves it to verification; the reason is kept, masked")
    func resolves() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try await fixture.writeIncident(seal: false)
        #expect(await log.ledger.actions["a2"]?.isInFlight == true)

        let record = try await InFlightResolution.resolve("a2", outcome: .notApplied, reason: "checked with token=abc123secret",
                                                          by: "alice", log: log, now: AuditFixture.start.addingTimeInterval(500))
        #expect(record.type == .outcome && record.payload.status == 0)
        #expect(record.payload.body == "not applied (resolved by alice: checked with token=****)")
        let state = try #require(await log.ledger.actions["a2"])
        #expect(!state.isInFlight && !state.isAwaitingVerification)
        await #expect(throws: InFlightResolution.Failure.self) {
            try await InFlightResolution.resolve("a2", outcome: .applied, reason: "again", by: "alice", log: log, now: AuditFixture.start)
        }
        if case .intact = try fixture.verify() {} else { Issue.record("the chain broke") }
    }

    @Test("applied: verified on the next pass like any applied action")
    func appliedAwaitsVerification() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try await fixture.writeIncident(seal: false)
        try await InFlightResolution.resolve("a2", outcome: .applied, reason: "the pods restarted at 03:06", by: "bob", log: log,
                                             now: AuditFixture.start.addingTimeInterval(500))
        #expect(await log.ledger.actions["a2"]?.isAwaitingVerification == true)
    }

    @Test("an unknown id, or one whose outcome is on record, is refused with the reason")
    func refusals() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try await fixture.writeIncident(seal: false)
        do {
            try await InFlightResolution.resolve("a1", outcome: .applied, reason: "x", by: "bob", log: log, now: AuditFixture.start)
            Issue.record("a1 has its outcome")
        } catch {
            #expect(error.code == .notInFlight)
            #expect(error.description == "a1 is not in flight: its outcome is on record (HTTP 200); nothing to resolve")
        }
        do {
            try await InFlightResolution.resolve("zz-9", outcome: .applied, reason: "x", by: "bob", log: log, now: AuditFixture.start)
            Issue.record("zz-9 does not exist")
        } catch {
            #expect(error.code == .unknown)
        }
    }
}
