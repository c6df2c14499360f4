import Foundation
import MedicKube
import MedicPolicy
import MedicRemediation
import Testing
@testable import MedicAudit

@Suite struct RecoveryTests {
    @Test func historyComesBackFromTheLog() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        let history = try ActionHistory.recover(fromLogAt: fixture.log)
        let start = AuditFixture.start
        #expect(history.entries == [
            ActionHistory.Entry(actionID: "a1", target: AuditFixture.api, kind: .rolloutRestart,
                                started: start.addingTimeInterval(3), finished: start.addingTimeInterval(4)),
            ActionHistory.Entry(actionID: "a2", target: AuditFixture.worker, kind: .rolloutRestart,
                                started: start.addingTimeInterval(400)),
        ])
        #expect(history.inFlight.map(\.actionID) == ["a2"])
    }

    @Test func recoveredStateDrivesTheGate() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        let history = try ActionHistory.recover(fromLogAt: fixture.log)
        var policy = Policy(name: "p", mode: .apply, actions: ActionRules(default: .allowed))
        policy.cooldown = 600
        let gate = PolicyGate(policy: policy)
        let now = AuditFixture.start.addingTimeInterval(500)
        let context = DecisionContext(now: now, history: history)
        #expect(gate.decide(Remediation(target: AuditFixture.worker, action: .rolloutRestart), context: context).reasons.map(\.rule)
            == [.inFlight, .cooldown], "the in-flight restart of worker must never be repeated blindly")
        #expect(gate.decide(Remediation(target: AuditFixture.api, action: .rolloutRestart), context: context).reasons
            == [Reason(.cooldown, "the last action on Deployment shop/api started 2026-11-20T03:00:03Z; cooldown 10m lasts until 2026-11-20T03:10:03Z")])
        #expect(gate.decide(Remediation(target: AuditFixture.api, action: .rolloutRestart),
                            context: DecisionContext(now: AuditFixture.start.addingTimeInterval(604), history: history)) == .allow)
    }

    @Test func dryRunIntentsChangeNothingAndDoNotCount() {
        let target = AuditFixture.api
        let restart = Remediation(target: target, action: .rolloutRestart)
        let records = [
            AuditRecord(seq: 2, time: AuditFixture.start, type: .intent, incident: "i", action: "d1", target: target,
                        payload: AuditEvent.intent(incident: "i", action: "d1", remediation: restart, mode: .dryRun, method: nil, path: nil).payload,
                        prev: ""),
        ]
        #expect(ActionHistory.recover(from: records).entries.isEmpty)
    }
}
