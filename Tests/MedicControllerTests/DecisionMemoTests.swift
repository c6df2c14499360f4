import Foundation
import KubeSim
@testable import MedicAudit
@testable import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation
import Testing
@testable import MedicController

/// When the act stage may reuse a finding's decision from the last pass, and when it must
/// decide again.
@Suite struct DecisionMemoTests {
    static let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func finding(evidence: [String] = ["OOMKilled 3 times"]) -> Finding {
        Finding(runbook: "oom-killed", severity: .high, target: api, summary: "api runs out of memory", evidence: evidence,
                actions: [ProposedAction(remediation: Remediation(target: api, action: .scale(replicas: 3)), decision: "proposed")],
                conditions: [])
    }

    static func proposal(recorded: Bool = false) -> ActStage.Proposal {
        let remediation = Remediation(target: api, action: .scale(replicas: 3))
        let identity = ActionIdentity(runbook: "oom-killed", remediation: remediation)
        return ActStage.Proposal(decision: .init(actionID: identity.actionID(ordinal: 1), identity: identity, incident: "i-1",
                                                 verdict: .denied, reasons: ["namespace shop opts out"], command: nil,
                                                 outcome: .done, recorded: recorded))
    }

    static func observation(since: Int, read: Int, changes: ClusterChanges? = ClusterChanges(),
                            namespaces: [Namespace] = []) -> Observation {
        var snapshot = Snapshot()
        snapshot.namespaces = namespaces
        return Observation(view: ClusterView(snapshot), findings: [], undecided: [], incidents: [], graph: nil, errors: [],
                           warnings: [], diagnosed: 0, reads: (since, read), changes: changes)
    }

    /// A ledger that took in a decision about each of `targets`.
    static func ledger(_ targets: [ObjectRef] = []) -> ActionLedger {
        ActionLedger(records: targets.enumerated().map { index, target in
            AuditRecord(seq: index + 1, time: start, type: .decision, action: "a\(index)", target: target, prev: "")
        })
    }

    /// A memo made on read 1 at `start` that kept `proposals` for `finding()`, decided over an empty ledger.
    static func kept(_ proposals: [ActStage.Proposal] = [proposal()]) throws -> DecisionMemo {
        var memo = try #require(DecisionMemo.start(from: nil, for: observation(since: 0, read: 1), at: start, maxAge: 30))
        memo.keep(finding(), causes: [], fixed: nil, ledger: ledger(), proposals: proposals)
        return memo
    }

    @Test("a finding that stands, with nothing it reads changed, keeps its decision, again and again")
    func reused() throws {
        var memo = try #require(DecisionMemo.start(from: try Self.kept(), for: Self.observation(since: 1, read: 2), at: Self.start + 5,
                                                   maxAge: 30))
        let elsewhere = ClusterChanges(objects: [ObjectRef(kind: "Deployment", namespace: "web", name: "front")], namespaces: ["web"])
        // A record about another object moves the ledger, not this finding's mark.
        let other = Self.ledger([ObjectRef(kind: "Deployment", namespace: "web", name: "front")])
        let decisions = memo.decisions(for: Self.finding(), causes: [], fixed: nil, ledger: other, changes: elsewhere)
        #expect(decisions == [Self.proposal().decision])
        // Reused entries are carried to the pass after.
        var third = try #require(DecisionMemo.start(from: memo, for: Self.observation(since: 2, read: 3), at: Self.start + 6, maxAge: 30))
        #expect(third.decisions(for: Self.finding(), causes: [], fixed: nil, ledger: other, changes: ClusterChanges()) != nil)
        #expect(third.since == Self.start)
    }

    @Test("anything the decision was made from that moved decides it again", arguments: [
        "finding", "mark", "causes", "fix", "object", "namespace", "unknown changes",
    ])
    func decidedAgain(what: String) throws {
        var memo = try #require(DecisionMemo.start(from: try Self.kept(), for: Self.observation(since: 1, read: 2), at: Self.start + 5,
                                                   maxAge: 30))
        var finding = Self.finding()
        var (causes, fixed, ledger) = ([String](), String?.none, Self.ledger())
        var changes: ClusterChanges? = ClusterChanges()
        switch what {
        case "finding": finding = Self.finding(evidence: ["OOMKilled 4 times"])
        case "mark": ledger = Self.ledger([Self.api])
        case "causes": causes = ["db-down/Service/shop/db"]
        case "fix": fixed = "medic fixed it with a-1"
        case "object": changes = ClusterChanges(objects: [Self.api])
        case "namespace": changes = ClusterChanges(namespaces: ["shop"])
        default: changes = nil
        }
        #expect(memo.decisions(for: finding, causes: causes, fixed: fixed, ledger: ledger, changes: changes) == nil)
        #expect(memo.entries.isEmpty, "a decision not reused is not carried forward")
    }

    @Test("the whole memo is dropped when it is not the last read's, after a relist, once it is old, when the clock steps back, or when a Namespace changed", arguments: [
        "read gap", "relist", "old", "clock back", "namespaces",
    ])
    func dropped(why: String) throws {
        var observation = Self.observation(since: 1, read: 2)
        var now = Self.start + 5
        switch why {
        case "read gap": observation = Self.observation(since: 2, read: 3)
        case "relist": observation = Self.observation(since: 1, read: 2, changes: ClusterChanges(everything: true))
        case "old": now = Self.start + 30
        case "clock back": now = Self.start - 1
        default: observation = Self.observation(since: 1, read: 2, namespaces: [Namespace(metadata: ObjectMeta(name: "shop",
                                                                                                              labels: ["medic.io/ignore": "true"]))])
        }
        var memo = try #require(DecisionMemo.start(from: try Self.kept(), for: observation, at: now, maxAge: 30))
        #expect(memo.decisions(for: Self.finding(), causes: [], fixed: nil, ledger: Self.ledger(), changes: ClusterChanges()) == nil)
        #expect(memo.since == now, "a fresh memo ages from this pass")
    }

    @Test("a decision that recorded, sent, failed or read outside the view and the ledger is not kept", arguments: [
        "recorded", "read outside", "sent", "failed",
    ])
    func notKept(what: String) throws {
        var proposal = Self.proposal()
        switch what {
        case "recorded": proposal = Self.proposal(recorded: true)
        case "read outside": proposal.readOutside = true
        case "sent":
            proposal.execution = PassReport.ExecutionEntry(actionID: "a-1", incident: "i-1",
                                                           remediation: Remediation(target: Self.api, action: .scale(replicas: 3)),
                                                           result: .notSent("no writer"))
        default: proposal.errors = [.act("a-1: the request could not be read")]
        }
        let memo = try Self.kept([Self.proposal(), proposal])
        #expect(memo.entries.isEmpty)
    }

    @Test("without a watched cache there is no memo")
    func noInformer() {
        var observation = Self.observation(since: 1, read: 2)
        observation.reads = nil
        #expect(DecisionMemo.start(from: nil, for: observation, at: Self.start, maxAge: 30) == nil)
    }
}

/// The memo in `medic run`'s passes over a watched cache, against KubeSim.
@Suite struct DecisionMemoReconcilerTests {
    /// Labels `object` (a Deployment or Namespace in KubeSim) with the opt-out label, or takes it off.
    static func optOut(_ object: JSON, _ on: Bool, in sim: KubeSim) throws {
        var object = object
        var metadata = object["metadata"] ?? [:]
        var labels = metadata["labels"] ?? [:]
        labels["medic.io/ignore"] = on ? "true" : nil
        metadata["labels"] = labels
        object["metadata"] = metadata
        try sim.put(object)
    }

    @Test("a denial kept between passes is decided again once the opt-out label comes off the object, or its namespace", arguments: [
        "Deployment", "Namespace",
    ])
    /// The Namespace case checks the behaviour end to end, not the namespace check alone:
    /// KubeSim's controllers also write the Deployment after the Namespace changes, which
    /// ends the kept denial too. `DecisionMemoTests` checks each input on its own.
    func optOutLifted(carrier: String) async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        func carrierObject() throws -> JSON {
            try #require(carrier == "Deployment" ? harness.deployment : harness.sim.get(.namespace, name: "shop"))
        }
        try Self.optOut(try carrierObject(), true, in: harness.sim)
        let (reconciler, _, watching) = harness.watched(policy: try ReconcilerHarness.policy(setResources: "allowed"), timeoutSeconds: 5)

        let first = await reconciler.pass()
        #expect(first.decisions.map(\.verdict) == [.denied])
        #expect(first.decisions.first?.reasons.contains { $0.contains("opts out") } == true, "\(first.decisions)")
        #expect(first.decisions.map(\.recorded) == [true])
        // Kept: the same denial, not recorded again.
        harness.clock.advance(by: 1)
        let second = await reconciler.pass()
        #expect(second.decisions.map(\.verdict) == [.denied] && second.decisions.map(\.recorded) == [false])

        try Self.optOut(try carrierObject(), false, in: harness.sim)
        // Passes until the watch brings the change; the clock does not move, so only the
        // change can end the kept denial.
        let deadline = ContinuousClock.now + .seconds(10)
        var executions: [PassReport.ExecutionEntry] = []
        while executions.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            executions = await reconciler.pass().executions
        }
        #expect(executions.map(\.result) == [.applied], "the kept denial outlived the label")
        #expect(harness.memoryLimit == "256Mi")
        try harness.expectIntact()
        try await ReconcilerHarness.stopWatching(watching)
    }
}
