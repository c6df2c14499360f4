import Foundation
import MedicKube
import MedicPolicy
import Testing
@testable import MedicAudit

@Suite("Remediation objects: phase and adoption")
struct RemediationObjectTests {
    static let target = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")

    static func state(_ change: (inout ActionLedger.ActionState) -> Void) -> ActionLedger.ActionState {
        var state = ActionLedger.ActionState(id: "a-1", incident: "i-1", target: target)
        state.actionType = "set-env"
        change(&state)
        return state
    }

    @Test("the phase follows the action from decision to verification")
    func phases() {
        typealias Phase = RemediationObject.Phase
        #expect(Phase(Self.state { $0.verdict = "allowed" }) == .proposed)
        #expect(Phase(Self.state { $0.verdict = "allowed"; $0.actionType = "notify" }) == .notified)
        #expect(Phase(Self.state { $0.verdict = "needs-approval" }) == .awaitingApproval)
        #expect(Phase(Self.state { $0.verdict = "needs-approval"; $0.approvedBy = "alice" }) == .approved)
        #expect(Phase(Self.state { $0.verdict = "denied" }) == .denied)
        #expect(Phase(Self.state { $0.verdict = "waiting" }) == .waiting)
        #expect(Phase(Self.state { $0.mode = .apply; $0.startedAt = Date() }) == .inFlight)
        #expect(Phase(Self.state { $0.mode = .apply; $0.startedAt = Date(); $0.outcomeStatus = 422 }) == .failed)
        #expect(Phase(Self.state { $0.mode = .dryRun; $0.startedAt = Date(); $0.outcomeStatus = 200 }) == .dryRun)
        #expect(Phase(Self.state { $0.mode = .apply; $0.startedAt = Date(); $0.outcomeStatus = 200 }) == .applied)
        #expect(Phase(Self.state { $0.mode = .apply; $0.outcomeStatus = 200; $0.verified = true }) == .verified)
        #expect(Phase(Self.state { $0.mode = .apply; $0.outcomeStatus = 200; $0.verified = false }) == .verificationFailed)
        #expect(Phase(Self.state { $0.mode = .apply; $0.outcomeStatus = 200; $0.verified = false; $0.rolledBack = true }) == .rolledBack)
    }

    @Test("a log adopts another's lines once, oldest first, and a line that is not a record is named and takes nothing")
    func adoption() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-adopt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = Date(timeIntervalSince1970: 1_773_144_000)
        let other = try AuditLog(url: directory.appendingPathComponent("other.jsonl"), name: "other", now: start)
        let intent = try await other.append(AuditEvent(type: .intent, incident: "i-1", action: "a-1", target: Self.target,
                                                       payload: AuditPayload(actionType: "set-env", mode: "apply")), at: start)
        let outcome = try await other.append(.outcome(incident: "i-1", action: "a-1", target: Self.target, status: 200, body: "applied"),
                                             at: start.addingTimeInterval(1))
        let lines = [outcome, intent].map { String(decoding: try! $0.line(), as: UTF8.self) }

        let mine = try AuditLog(url: directory.appendingPathComponent("mine.jsonl"), name: "mine", now: start)
        await #expect(throws: AuditError.self) { try await mine.adopt(lines + ["{not a record"], from: "Remediation objects") }
        #expect(await mine.ledger.actions.isEmpty)
        #expect(try await mine.adopt(lines, from: "Remediation objects") == 2)
        #expect(await mine.ledger.actions["a-1"]?.outcomeStatus == 200)
        #expect(await mine.history.inFlight.isEmpty)
        #expect(try await mine.adopt(lines, from: "Remediation objects") == 0)
        // Adopted lines are not written to this replica's file.
        #expect(try AuditLog.records(at: mine.url).map(\.type) == [.genesis])
    }
}
