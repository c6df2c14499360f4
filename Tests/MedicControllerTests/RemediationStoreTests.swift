import Foundation
import KubeSim
import MedicAudit
import MedicKube
import MedicPolicy
import MedicRemediation
import Testing
@testable import MedicController

@Suite("Remediation objects: medic's ledger kept in the cluster", .timeLimit(.minutes(2)))
struct RemediationStoreTests {
    static let crd = ReconcilerHarness.repository.appendingPathComponent("deploy/base/crd-remediations.yaml")

    /// The OOM harness with the shipped CRD installed, and a store on it.
    static func start(memoryNeeded: Int = 200) async throws -> (ReconcilerHarness, RemediationStore) {
        let harness = try await ReconcilerHarness.start(memoryNeeded: memoryNeeded)
        try harness.sim.load(manifests: try String(contentsOf: crd, encoding: .utf8))
        #expect(try await RemediationStore.isServed(connection: harness.connection))
        return (harness, RemediationStore(connection: harness.connection))
    }

    static func object(_ id: String, _ harness: ReconcilerHarness) async throws -> RemediationObject {
        try await KubeReader(connection: harness.connection).get(RemediationObject.self, name: RemediationObject.name(for: id), namespace: "shop")
    }

    /// The audit log's lines about action `id` and the finding that opened its incident, as written.
    static func lines(of id: String, _ harness: ReconcilerHarness) throws -> [String] {
        try String(contentsOf: harness.auditURL, encoding: .utf8).split(separator: "\n").map(String.init).filter {
            let record = try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            return record?["action"] as? String == id || record?["type"] as? String == "finding"
        }
    }

    @Test("an action's records are in its object beside the target, line for line, and kubectl lists it with its phase")
    func mirrored() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        let report = await harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), remediations: store).pass()
        #expect(report.executions.map(\.result) == [.applied])
        #expect(report.errors.isEmpty)
        let id = try #require(report.executions.first?.actionID)
        let object = try await Self.object(id, harness)
        #expect(object.spec.target == .init(kind: "Deployment", namespace: "shop", name: "api"))
        #expect(object.spec.action == "set-resources")
        #expect(object.spec.runbook == "oom-killed")
        #expect(object.status?.phase == "Applied")
        #expect(object.metadata.labels[RemediationObject.actionLabel] == id)
        let own = try Self.lines(of: id, harness)
        #expect(own.count == 4)  // finding, decision, intent, outcome
        #expect(object.status?.records == own)

        let kubectl = try await KubectlEquivalenceCluster.kubectl(
            ["kubectl", "get", "remediations", "-A"], kubeconfig: harness.directory.appendingPathComponent("kubeconfig").path,
            directory: harness.directory)
        #expect(kubectl.status == 0, "\(kubectl.output)")
        let row = kubectl.output.split(separator: "\n").last.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
        #expect(row.prefix(6) == ["shop", "medic-\(id)", "api", "Deployment", "set-resources", "Applied"], "\(kubectl.output)")
    }

    @Test("a medic on an empty disk rebuilds its ledger from the objects: it waits on the fix it sent instead of sending it again")
    func rebuiltOnAnEmptyDisk() async throws {
        let (harness, store) = try await Self.start(memoryNeeded: 1000)
        defer { Task { await harness.stop() } }
        let policy = try ReconcilerHarness.policy(setResources: "allowed")
        let first = await harness.reconciler(policy: policy, remediations: store).pass()
        let id = try #require(first.executions.first?.actionID)
        #expect(harness.memoryLimit == "256Mi")

        // A new pod: no audit log, a store that knows nothing yet.
        let fresh = try AuditLog(url: harness.directory.appendingPathComponent("new-disk.jsonl"), name: "new-disk", now: harness.clock.now)
        let rebuilt = RemediationStore(connection: harness.connection)
        let lines = try await rebuilt.load().flatMap { $0.status?.records ?? [] }
        #expect(try await fresh.adopt(lines, from: "Remediation objects") == 4)
        #expect(await fresh.ledger.actions[id] == (await harness.audit.ledger.actions[id]))
        #expect(await fresh.history.entries.map(\.actionID) == [id])
        #expect(await fresh.history.inFlight.isEmpty)
        #expect(try await fresh.adopt(lines, from: "Remediation objects") == 0)

        harness.clock.advance(by: 60)
        let after = await harness.reconciler(policy: policy, audit: fresh, remediations: rebuilt).pass()
        #expect(after.executions.isEmpty)
        #expect(after.verifications.map(\.state) == [.pending])
        #expect(after.decisions.map(\.verdict) == [.blocked])

        // Without the objects the same medic would have sent the fix again.
        let forgetful = try AuditLog(url: harness.directory.appendingPathComponent("forgetful.jsonl"), name: "forgetful", now: harness.clock.now)
        #expect(await harness.reconciler(policy: policy, mode: .dryRun, audit: forgetful).pass().executions.map(\.result) == [.dryRunAccepted])
    }

    /// A new pod (an empty disk) reads the objects back into a fresh log.
    static func restart(_ harness: ReconcilerHarness, _ name: String) async throws -> (AuditLog, RemediationStore) {
        let fresh = try AuditLog(url: harness.directory.appendingPathComponent("\(name).jsonl"), name: name, now: harness.clock.now)
        let rebuilt = RemediationStore(connection: harness.connection)
        _ = try await fresh.adopt(try await rebuilt.load().flatMap { $0.status?.records ?? [] }, from: "Remediation objects")
        return (fresh, rebuilt)
    }

    @Test("cooldowns and rate limits come back from the objects: a restarted medic refuses what the old one would have")
    func rateHistoryComesBack() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        let policy = try ReconcilerHarness.policy(setResources: "allowed", extra: """
              cooldown: 2h
              rateLimits:
                perTarget: {max: 1, window: 1h}
            """)
        let reconciler = harness.reconciler(policy: policy, remediations: store)
        #expect(await reconciler.pass().executions.map(\.result) == [.applied])
        harness.clock.advance(by: 60)
        #expect(await reconciler.pass().verifications.map(\.state) == [.passed])
        try harness.reinjectOOM()
        harness.clock.advance(by: 60)

        let (fresh, rebuilt) = try await Self.restart(harness, "after-restart")
        let refused = await harness.reconciler(policy: policy, audit: fresh, remediations: rebuilt).pass()
        #expect(refused.executions.isEmpty)
        let reasons = refused.decisions.flatMap(\.reasons)
        #expect(reasons.contains { $0.hasPrefix("cooldown:") }, "\(reasons)")
        #expect(reasons.contains { $0.hasPrefix("rate-limit:") }, "\(reasons)")
        // A medic that forgot would have sent it.
        let forgetful = try AuditLog(url: harness.directory.appendingPathComponent("forgetful.jsonl"), name: "forgetful", now: harness.clock.now)
        #expect(await harness.reconciler(policy: policy, mode: .dryRun, audit: forgetful).pass().executions.map(\.result) == [.dryRunAccepted])
    }

    @Test("flap counts and needs-human marks come back from the objects, and annotating the escalation's object approves it")
    func flapsAndEscalationsComeBack() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        let policy = try ReconcilerHarness.policy(setResources: "allowed")
        let flaps = VerificationSettings(defaultWindow: 300, flapLimit: 2, flapWindow: 3600)
        let reconciler = harness.reconciler(policy: policy, verification: flaps, remediations: store)
        for _ in 0..<2 {
            #expect(await reconciler.pass().executions.map(\.result) == [.applied])
            harness.clock.advance(by: 60)
            #expect(await reconciler.pass().verifications.map(\.state) == [.passed])
            try harness.reinjectOOM()
            harness.clock.advance(by: 60)
        }
        // Restarted before the third fix: the two fixes it remembers make it escalate, not fix again.
        let (first, firstStore) = try await Self.restart(harness, "first-restart")
        let escalated = await harness.reconciler(policy: policy, verification: flaps, audit: first, remediations: firstStore).pass()
        #expect(escalated.executions.isEmpty)
        #expect(escalated.decisions.map(\.verdict) == [.escalated])
        #expect(harness.memoryLimit == "512Mi")
        let escalation = try #require(await first.ledger.escalation(on: ReconcilerHarness.api))
        #expect(try await Self.object(escalation.id, harness).status?.phase == "NeedsHuman")

        // Restarted again: the needs-human mark holds.
        let (second, secondStore) = try await Self.restart(harness, "second-restart")
        #expect(await second.ledger.escalation(on: ReconcilerHarness.api)?.id == escalation.id)
        let secondReconciler = harness.reconciler(policy: policy, verification: flaps, audit: second, remediations: secondStore)
        #expect(await secondReconciler.pass().decisions.map(\.verdict) == [.blocked])

        let kubectl = try await KubectlEquivalenceCluster.kubectl(
            ["kubectl", "-n", "shop", "annotate", "remediation", RemediationObject.name(for: escalation.id), "medic.io/approve=true"],
            kubeconfig: harness.directory.appendingPathComponent("kubeconfig").path, directory: harness.directory)
        #expect(kubectl.status == 0, "\(kubectl.output)")
        let approved = await secondReconciler.pass()
        #expect(approved.decisions.map(\.verdict) != [.blocked])
        let approval = try #require(try AuditLog.records(at: harness.directory.appendingPathComponent("second-restart.jsonl"))
            .last { $0.type == .approval })
        #expect(approval.action == escalation.id)
        #expect(approval.payload.approver?.hasPrefix(
            "annotation medic.io/approve=true on Remediation shop/\(RemediationObject.name(for: escalation.id)), set by kubectl-annotate") == true)
        #expect(await second.ledger.escalation(on: ReconcilerHarness.api) == nil)
        // Its object says so, and who it was, until it is collected.
        let object = try await Self.object(escalation.id, harness)
        #expect(object.status?.phase == "Approved")
        #expect(object.status?.approvedBy == approval.payload.approver)
    }

    @Test("settled objects are deleted after the retention; one awaiting verification is kept however old")
    func collected() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), remediations: store)
        let id = try #require(await reconciler.pass().executions.first?.actionID)
        let later = harness.clock.now.addingTimeInterval(86400)
        #expect(await store.collect(retention: 3600, now: later, ledger: await harness.audit.ledger, fence: nil).isEmpty)
        #expect(try await Self.object(id, harness).status?.phase == "Applied")

        harness.clock.advance(by: 90)
        #expect(await reconciler.pass().verifications.map(\.state) == [.passed])
        #expect(try await Self.object(id, harness).status?.phase == "Verified")
        #expect(await store.collect(retention: 3600, now: harness.clock.now, ledger: await harness.audit.ledger, fence: nil).isEmpty)
        #expect(try await KubeReader(connection: harness.connection).list(RemediationObject.self).items.count == 1)
        // Changed since medic last wrote it (someone annotated it): the delete's preconditions
        // keep it this time; read again, it goes the next.
        let kubectl = try await KubectlEquivalenceCluster.kubectl(
            ["kubectl", "-n", "shop", "annotate", "remediation", RemediationObject.name(for: id), "note=seen"],
            kubeconfig: harness.directory.appendingPathComponent("kubeconfig").path, directory: harness.directory)
        #expect(kubectl.status == 0, "\(kubectl.output)")
        #expect(await store.collect(retention: 3600, now: later, ledger: await harness.audit.ledger, fence: nil).isEmpty)
        #expect(try await KubeReader(connection: harness.connection).list(RemediationObject.self).items.count == 1)
        #expect(await store.collect(retention: 3600, now: later, ledger: await harness.audit.ledger, fence: nil).isEmpty)
        #expect(try await KubeReader(connection: harness.connection).list(RemediationObject.self).items.isEmpty)
    }

    @Test("an intent its object cannot hold is not sent: the log says so, and the target is not left in flight")
    func unmirroredIntentIsNotSent() async throws {
        let harness = try await ReconcilerHarness.start()
        defer { Task { await harness.stop() } }
        // The CRD is not installed: every write of an object fails with 404.
        let store = RemediationStore(connection: harness.connection)
        let report = await harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), remediations: store).pass()
        guard case .notSent(let message)? = report.executions.first?.result else {
            Issue.record("expected nothing sent, got \(report.executions)")
            return
        }
        #expect(message.hasPrefix("the intent's Remediation object could not be written, so nothing was sent: "))
        #expect(harness.memoryLimit == "128Mi")
        #expect(report.errors.contains { $0.stage == .remediation })
        #expect(ControllerPassSummary(report).stateError != nil)
        let id = try #require(report.executions.first?.actionID)
        #expect(await harness.audit.ledger.actions[id]?.isInFlight == false)
        try harness.expectIntact()
    }

    @Test("a later record its object cannot hold (a verification) is reported, and /readyz turns unready until one is written")
    func unmirroredLaterRecordIsReported() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), remediations: store)
        let applied = await reconciler.pass()
        let id = try #require(applied.executions.first?.actionID)
        #expect(ControllerPassSummary(applied).stateError == nil)

        let path = "/apis/medic.io/v1/namespaces/shop/remediations/\(RemediationObject.name(for: id))"
        harness.sim.injectFault(.status(500), method: "PUT", path: path, count: 1000)
        harness.clock.advance(by: 90)
        let verified = await reconciler.pass()
        #expect(verified.verifications.map(\.state) == [.passed])
        let failure = try #require(verified.errors.first { $0.stage == .remediation })
        #expect(failure.description.contains("verification of \(id) is in the audit log but not in its Remediation object"))
        let summary = ControllerPassSummary(verified)
        #expect(summary.stateError == failure.description)
        let health = HealthState()
        await health.configurationDidLoad()
        await health.stateWrite(failed: summary.stateError)
        #expect(await health.notReadyReason?.hasPrefix("medic's state cannot be written (") == true)
        #expect(await store.takeFailures().isEmpty, "each failure is reported once")
    }

    @Test("kubectl annotate remediation NAME medic.io/approve=true approves the proposal, and the log names who set it")
    func approvedByAnnotatingTheObject() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "needs-approval"), remediations: store)
        let proposed = await reconciler.pass()
        #expect(proposed.executions.isEmpty)
        let id = try #require(proposed.decisions.first?.actionID)
        #expect(try await Self.object(id, harness).status?.phase == "AwaitingApproval")

        let kubectl = try await KubectlEquivalenceCluster.kubectl(
            ["kubectl", "-n", "shop", "annotate", "remediation", RemediationObject.name(for: id), "medic.io/approve=true"],
            kubeconfig: harness.directory.appendingPathComponent("kubeconfig").path, directory: harness.directory)
        #expect(kubectl.status == 0, "\(kubectl.output)")
        // An object that cannot be read approves nothing, and the pass says why.
        harness.sim.injectFault(.status(503), method: "GET", path: "/apis/medic.io/v1/namespaces/shop/remediations/\(RemediationObject.name(for: id))")
        let unreadable = await reconciler.pass()
        #expect(unreadable.executions.isEmpty)
        #expect(unreadable.errors.count == 1 && unreadable.errors[0].description.hasPrefix(
            "remediation object: cannot read Remediation shop/\(RemediationObject.name(for: id)) for a medic.io/approve annotation: "),
            "\(unreadable.errors)")
        #expect(harness.memoryLimit == "128Mi")
        let approved = await reconciler.pass()
        #expect(approved.executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        let approval = try #require(try harness.records().last { $0.type == .approval })
        #expect(approval.payload.approver?.hasPrefix(
            "annotation medic.io/approve=true on Remediation shop/\(RemediationObject.name(for: id)), set by kubectl-annotate (Update at ") == true)
        // The annotation survives medic's later writes of the object, which carry its records on.
        let object = try await Self.object(id, harness)
        #expect(object.metadata.annotations["medic.io/approve"] == "true")
        #expect(object.status?.phase == "Applied")
        #expect(object.status?.approvedBy == approval.payload.approver)
    }

    @Test("kubectl annotate remediation NAME medic.io/resolve=not-applied with a reason clears an action in flight; the log names who, and medic decides again")
    func resolvedByAnnotatingTheObject() async throws {
        let (harness, store) = try await Self.start()
        defer { Task { await harness.stop() } }
        // A medic that died between writing its intent and sending the request.
        let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
        try await harness.audit.append(.intent(incident: "i0", action: "0ddba11-1", remediation: Remediation(target: api, action: .rolloutRestart),
                                               mode: .apply, method: "PATCH", path: ReconcilerHarness.apiPath),
                                       at: harness.clock.now, fence: nil, remediations: store)
        let reconciler = harness.reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed"), remediations: store)
        let blocked = await reconciler.pass()
        #expect(blocked.executions.isEmpty)
        #expect(blocked.decisions.map(\.verdict) == [.blocked])
        #expect(try await Self.object("0ddba11-1", harness).status?.phase == "InFlight")

        func annotate(_ annotations: String...) async throws {
            let kubectl = try await KubectlEquivalenceCluster.kubectl(
                ["kubectl", "-n", "shop", "annotate", "--overwrite", "remediation", "medic-0ddba11-1"] + annotations,
                kubeconfig: harness.directory.appendingPathComponent("kubeconfig").path, directory: harness.directory)
            #expect(kubectl.status == 0, "\(kubectl.output)")
        }
        // Without a reason, or with a value medic does not know, nothing is recorded and the pass says why.
        try await annotate("medic.io/resolve=not-applied")
        let noReason = await reconciler.pass()
        #expect(noReason.executions.isEmpty)
        #expect(noReason.errors.map(\.description) == [
            "remediation object: medic.io/resolve=not-applied on Remediation shop/medic-0ddba11-1 is ignored until medic.io/resolve-reason says what was checked",
        ])
        try await annotate("medic.io/resolve=maybe", "medic.io/resolve-reason=limit still 128Mi")
        #expect(await reconciler.pass().errors.map(\.description) == [
            "remediation object: medic.io/resolve=maybe on Remediation shop/medic-0ddba11-1 is ignored: it must be applied or not-applied",
        ])
        // A read that fails is said, not taken for "no annotation".
        harness.sim.injectFault(.status(503), method: "GET", path: "/apis/medic.io/v1/namespaces/shop/remediations/medic-0ddba11-1")
        let unreadable = await reconciler.pass().errors.map(\.description)
        #expect(unreadable.count == 1 && unreadable[0].hasPrefix(
            "remediation object: cannot read Remediation shop/medic-0ddba11-1 for a medic.io/resolve annotation: "), "\(unreadable)")
        #expect(await harness.audit.ledger.actions["0ddba11-1"]?.isInFlight == true)

        try await annotate("medic.io/resolve=not-applied")
        let resolved = await reconciler.pass()
        #expect(resolved.errors.isEmpty)
        let outcome = try #require(try harness.records().last { $0.type == .outcome && $0.action == "0ddba11-1" })
        #expect(outcome.payload.status == 0)
        #expect(outcome.payload.body?.hasPrefix(
            "not applied (resolved by annotation medic.io/resolve on Remediation shop/medic-0ddba11-1, set by kubectl-annotate (Update at ") == true,
            "\(outcome.payload.body ?? "")")
        #expect(outcome.payload.body?.hasSuffix(": limit still 128Mi)") == true)
        // Decided again from the cluster as it is, in the same pass: the fix goes out.
        #expect(resolved.executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        harness.clock.advance(by: 90)
        let after = await reconciler.pass()
        #expect(after.errors.isEmpty, "\(after.errors)")
        #expect(after.verifications.map(\.state) == [.passed])
        try harness.expectIntact()
    }
}
