import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation
import MedicRunbook

/// Verify earlier actions: each applied action's finding either cleared (the incident closes)
/// or, once its window is over, did not (rolled back when it can be, and escalated to a human).
/// The finding checked is the incident's, which is not the action's target for `delete-pod`.
struct VerifyStage: Sendable {
    let context: PassContext

    struct Outcome: Sendable {
        var verifications: [PassReport.VerificationEntry] = []
        var rollbacks: [PassReport.RollbackEntry] = []
        var errors: [PassError] = []
    }

    func run(_ observation: Observation, ledger: ActionLedger) async -> Outcome {
        var outcome = Outcome()
        let now = context.now
        for action in ledger.awaitingVerification {
            guard let incident = action.incident, let opened = ledger.incidents[incident], let started = action.startedAt else { continue }
            let runbook = opened.runbook
            let window = context.verificationWindow(for: runbook)
            let present = observation.findings.first { $0.runbook == runbook && $0.target == opened.target }
            let unknown = observation.undecided.contains { $0.runbook == runbook && $0.target == opened.target }
            let elapsed = CELTime.format(duration: max(0, now.timeIntervalSince(started).rounded()))
            if present == nil, !unknown {
                let detail = "\(runbook) no longer matches \(action.target), \(elapsed) after action \(action.id)"
                outcome.errors.note(await context.record(.verification(incident: incident, action: action.id, target: action.target,
                                                                       passed: true, detail: detail)))
                outcome.verifications.append(.init(actionID: action.id, incident: incident, target: action.target, state: .passed, detail: detail))
                outcome.errors.note(await context.emit(.verified, "\(action.command ?? action.id): fixed, \(detail)", on: action.target))
                continue
            }
            guard now >= started.addingTimeInterval(window) else {
                let detail = present.map { "still present: \($0.summary)" } ?? "cannot be checked yet (conditions unknown)"
                outcome.verifications.append(.init(actionID: action.id, incident: incident, target: action.target, state: .pending,
                                                   detail: "\(detail); window \(CELTime.format(duration: window)), \(elapsed) elapsed"))
                continue
            }
            let detail = present.map { "\(runbook) still matches \(action.target) \(elapsed) after action \(action.id): \($0.summary)" }
                ?? "\(runbook) could not be checked on \(action.target) within \(CELTime.format(duration: window)) (conditions unknown)"
            outcome.errors.note(await context.record(.verification(incident: incident, action: action.id, target: action.target,
                                                                   passed: false, detail: detail)))
            outcome.verifications.append(.init(actionID: action.id, incident: incident, target: action.target, state: .failed, detail: detail))
            var reasons = ["verification of \(action.id) failed: \(detail)"]
            let refusal = present == nil ? nil : await rollbackRefusal(action)
            if present != nil, let refusal {
                reasons.append("not rolled back: \(refusal)")
            } else if present != nil, let executor = context.executor {
                let result = await executor.rollback(action, reason: "verification failed")
                outcome.rollbacks.append(.init(actionID: action.id, target: action.target, result: result))
                switch result {
                case .restored(let text):
                    reasons.append("rolled back: \(text)")
                    outcome.errors.note(await context.emit(.rolledBack, "\(action.command ?? action.id) did not fix \(runbook) within \(CELTime.format(duration: window)); rolled back", on: action.target))
                case .irreversible(let text), .failed(let text):
                    reasons.append(text)
                    outcome.errors.append(.act(text))
                }
            }
            outcome.errors += await context.escalate(action.target, incident: incident, reasons: reasons, ledger: ledger)
        }
        return outcome
    }

    /// Why medic must not undo `action` now, if it must not: a rollback is a write like any
    /// other, so only in apply mode and only where the policy gate lets it (`decideRollback`).
    private func rollbackRefusal(_ action: ActionLedger.ActionState) async -> String? {
        guard context.mode == .apply, context.executor != nil else {
            return "medic runs in \(context.mode.rawValue) mode, and only apply mode rolls back"
        }
        guard let kind = action.actionType.flatMap(ActionKind.init(rawValue:)) else {
            return "the log does not say which action \(action.id) was"
        }
        let policy = context.configuration.policy
        let live = LiveTarget(action.target, in: context.view)
        let namespace = context.view.namespaces[action.target.namespace]
        var decisionContext = DecisionContext(now: context.now, target: live.map { ObjectLabels($0.metadata) } ?? ObjectLabels(),
                                              namespace: namespace.map { ObjectLabels($0.metadata) } ?? ObjectLabels(),
                                              history: await context.configuration.audit.history)
        if policy.gitops == .suspend, let metadata = live?.metadata,
           let owner = GitOpsOwner.of(labels: metadata.labels, annotations: metadata.annotations) {
            decisionContext.sync = await SyncReading.read(owner, argoCDNamespace: policy.argoCDNamespace,
                                                          reader: context.configuration.reader).0
        }
        let decision = PolicyGate(policy: policy).decideRollback(of: action.id, kind: kind, on: action.target, context: decisionContext)
        return decision == .allow ? nil : decision.reasons.map(\.description).joined(separator: "; ")
    }
}

extension [PassError] {
    /// Adds `error` when there is one.
    mutating func note(_ error: PassError?) {
        if let error { append(error) }
    }
}
