import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation
import MedicRunbook

/// Decide and act on each finding: open (or continue) its incident, then for each proposed
/// action apply the never-twice rules, ask the policy gate, honour approvals, and send what may
/// be sent. Every decision is read from the audit log's ledger as of the last record written.
struct ActStage: Sendable {
    let context: PassContext
    let gate: PolicyGate

    /// What became of one proposed action this pass.
    struct Proposal: Sendable {
        var decision: PassReport.DecisionEntry
        var execution: PassReport.ExecutionEntry?
        var errors: [PassError] = []
        /// The decision read something besides the finding, the view and the ledger: the API
        /// server (a GitOps sync, an approval, the request it binds to) or a 429's deferral.
        var readOutside = false

        /// Whether the next pass may reuse the decision (`DecisionMemo`): it recorded, sent and
        /// failed nothing, and read nothing outside.
        var keepable: Bool { !readOutside && execution == nil && errors.isEmpty && !decision.recorded }
    }

    struct Outcome: Sendable {
        var decisions: [PassReport.DecisionEntry] = []
        var executions: [PassReport.ExecutionEntry] = []
        var opened: [PassReport.OpenedIncident] = []
        var errors: [PassError] = []
        /// What the next pass may reuse (nil without a watched cache).
        var memo: DecisionMemo?
    }

    /// `graph`: the service graph the diagnosis grouped `findings` on. The diagnosis has one
    /// whenever there are findings; were it missing, the wait for a dependency's fix must
    /// still be decided, so it is then built from the view. `memo`: the decisions the last pass
    /// left and what changed since (`DecisionMemo`); the outcome holds this pass's.
    func run(_ findings: [Finding], graph: ServiceGraph?, memo: DecisionMemo? = nil, changes: ClusterChanges? = nil) async -> Outcome {
        var outcome = Outcome()
        outcome.memo = memo
        outcome.decisions.reserveCapacity(findings.count)
        var openedThisPass: Set<String> = []
        // Only findings that have causes ask which are open (few do).
        lazy var open = Set(findings.map(\.id))
        var graph = graph
        // Asked of every finding: looked up, not searched for among the runbooks each time.
        let dependent = Set(context.configuration.runbooks.filter { $0.explainedBy.contains(.dependency) }.map(\.id))
        // A cancelled pass (leadership lost) decides nothing more; the fence refuses any write anyway.
        for finding in findings where !Task.isCancelled {
            // A symptom's fix waits while its cause is open: scaling a caller that is slow only
            // because its dependency is slow, or restarting one that crashes because it is down,
            // would change the wrong thing. It also waits while a fix medic sent to a dependency
            // may still reach it: the cause's finding can clear at once (a scaled workload no
            // longer has few replicas) while the caller's metrics lag by their window.
            var causes = finding.causedBy.filter { open.contains($0) }
            var fixed: String?
            if causes.isEmpty, dependent.contains(finding.runbook) {
                let built = graph ?? ServiceGraph(context.view)
                graph = built
                if let fix = await recentFix(behind: finding, graph: built) { (causes, fixed) = ([fix.cause], fix.detail) }
            }
            let ledger = await context.ledger
            if let kept = outcome.memo?.decisions(for: finding, causes: causes, fixed: fixed, ledger: ledger, changes: changes) {
                outcome.decisions += kept
                continue
            }
            let incident: String
            if let open = ledger.openIncident(runbook: finding.runbook, target: finding.target) {
                incident = open
            } else {
                incident = ledger.newIncidentID(runbook: finding.runbook, target: finding.target)
                openedThisPass.insert(incident)
                outcome.opened.append(.init(incident: incident, findingID: finding.id))
            }
            if openedThisPass.contains(incident) {
                outcome.errors.note(await context.record(.finding(
                    incident: incident, target: finding.target, runbook: finding.runbook, severity: finding.severity.rawValue,
                    summary: finding.summary, evidence: finding.evidence + causes.map { "waiting for the cause: \($0)" })))
            }
            var proposals: [Proposal] = []
            for proposed in finding.actions {
                if !causes.isEmpty, proposed.remediation.action.isMutating {
                    let (decision, error) = await waiting(proposed.remediation, runbook: finding.runbook, incident: incident,
                                                          for: causes, fixed: fixed)
                    proposals.append(Proposal(decision: decision, errors: error.map { [$0] } ?? []))
                    continue
                }
                proposals += await handleSyncFirst(proposed.remediation, runbook: finding.runbook, incident: incident)
            }
            for proposal in proposals {
                outcome.decisions.append(proposal.decision)
                if let execution = proposal.execution { outcome.executions.append(execution) }
                outcome.errors += proposal.errors
            }
            if !openedThisPass.contains(incident) {
                outcome.memo?.keep(finding, causes: causes, fixed: fixed, ledger: ledger, proposals: proposals)
            }
        }
        return outcome
    }

    /// The last fix medic applied to a Service `finding`'s target calls (or a workload behind
    /// it) within the finding's verification window, when a dependency can explain the finding:
    /// the id of the finding it fixed, and when it was sent and the wait ends.
    /// Asked only for findings whose runbook a dependency can explain.
    private func recentFix(behind finding: Finding, graph: ServiceGraph) async -> (cause: String, detail: String)? {
        let called = graph.dependencies(of: finding.target).map(\.service)
        let targets = Set(called + called.flatMap { graph.selected[$0] ?? [] })
        guard !targets.isEmpty else { return nil }
        let window = context.verificationWindow(for: finding.runbook)
        let ledger = await context.ledger
        guard let fix = ledger.lastApplied(on: targets, since: context.now.addingTimeInterval(-window)),
              let started = fix.startedAt, let opened = fix.incident.flatMap({ ledger.incidents[$0] }) else { return nil }
        let cause = "\(opened.runbook)/\(opened.target.kind)/\(opened.target.namespace)/\(opened.target.name)"
        return (cause, "medic fixed it with \(fix.id) at \(RFC3339.format(started)) and decides this again from "
            + "\(RFC3339.format(started.addingTimeInterval(window))) if it persists")
    }

    /// Not decided while `causes` are open, or while the fix of one (`fixed`) may still reach
    /// it; decided again on the first pass without them. The wait is recorded (in the log and
    /// the action's Remediation object) when it starts or its reason changes.
    private func waiting(_ remediation: Remediation, runbook: String, incident: String, for causes: [String],
                         fixed: String?) async -> (PassReport.DecisionEntry, PassError?) {
        let identity = ActionIdentity(runbook: runbook, remediation: remediation)
        let ledger = await context.ledger
        let actionID = ledger.currentActionID(for: identity, now: context.now, approvalTTL: context.configuration.approvalTTL)
        let reasons = ["waiting for the cause: \(causes.joined(separator: ", ")) explains this finding, "
                       + (fixed ?? "so medic acts on the cause first and decides this again once the cause is gone")]
        let previous = ledger.actions[actionID]
        let changed = previous?.verdict != Verdict.waiting || previous?.reasons != reasons
        let error = changed ? await context.record(.waiting(incident: incident, action: actionID, remediation: remediation, reasons: reasons)) : nil
        return (.init(actionID: actionID, identity: identity, incident: incident, verdict: .blocked, reasons: reasons,
                      command: remediation.redactedCommand, outcome: .retryAfter(nil), recorded: changed), error)
    }

    /// Under `gitops: suspend`, a change to an object Argo CD or Flux owns is decided with its
    /// owner's sync as the API server reports it. While the sync runs, `suspend-sync` on the
    /// owner is decided (and sent) first, under the same incident, and the change follows in
    /// the same pass only once the owner was suspended.
    private func handleSyncFirst(_ remediation: Remediation, runbook: String, incident: String) async -> [Proposal] {
        guard gate.policy.gitops == .suspend, remediation.action.isMutating, remediation.action.kind != .suspendSync,
              let live = LiveTarget(remediation.liveObject, in: context.view),
              let owner = GitOpsOwner.of(labels: live.metadata.labels, annotations: live.metadata.annotations) else {
            return [await handle(remediation, runbook: runbook, incident: incident)]
        }
        let (sync, syncer) = await SyncReading.read(owner, argoCDNamespace: gate.policy.argoCDNamespace,
                                                    reader: context.configuration.reader)
        guard case .running(let ref) = sync else {
            var proposal = await handle(remediation, runbook: runbook, incident: incident, sync: sync)
            proposal.readOutside = true
            return [proposal]
        }
        let suspension = await handle(Remediation(target: ref, action: .suspendSync(owner.syncer)), runbook: runbook,
                                      incident: incident, live: syncer)
        let suspended = switch suspension.execution?.result {
        case .applied?: true
        case .dryRunAccepted?: context.mode == .dryRun
        default: false
        }
        var change = await handle(remediation, runbook: runbook, incident: incident, sync: suspended ? .suspended : sync)
        change.readOutside = true
        return [suspension, change]
    }

    /// `live` stands in for the target's entry in the view (the GitOps objects are not in it);
    /// `sync` is the owner's sync state under `gitops: suspend`.
    private func handle(_ remediation: Remediation, runbook: String, incident: String, live override: LiveTarget? = nil,
                        sync: SyncState? = nil) async -> Proposal {
        let ledger = await context.ledger
        let configuration = context.configuration
        let now = context.now
        let identity = ActionIdentity(runbook: runbook, remediation: remediation)
        let target = remediation.target
        let actionID = ledger.currentActionID(for: identity, now: now, approvalTTL: configuration.approvalTTL)
        let previous = ledger.actions[actionID]
        func entry(_ verdict: PassReport.DecisionEntry.Verdict, _ reasons: [String], _ command: String? = remediation.redactedCommand,
                   outcome: PassReport.ActionOutcome = .done, recorded: Bool = false) -> PassReport.DecisionEntry {
            .init(actionID: actionID, identity: identity, incident: incident, verdict: verdict, reasons: reasons, command: command,
                  outcome: outcome, recorded: recorded)
        }

        if let (blocked, outcome) = await blockingReason(identity, incident: incident, ledger: ledger) {
            var proposal = Proposal(decision: entry(.blocked, [blocked], outcome: outcome))
            // An escalation's approval is read from the API server; a deferral ends with the clock.
            proposal.readOutside = switch outcome {
            case .needsHuman, .retryAfter(_?): true
            default: false
            }
            return proposal
        }
        if context.mode == .apply, remediation.action.isMutating {
            let since = now.addingTimeInterval(-configuration.verification.flapWindow)
            // Read again: an escalation approved just now (by annotation) restarts the count.
            let count = await context.ledger.appliedCount(like: identity, since: since)
            if count >= configuration.verification.flapLimit {
                let reason = "\(runbook) came back on \(target) after \(count) \(identity.actionType) actions within \(CELTime.format(duration: configuration.verification.flapWindow)): fixing the symptom again would hide the cause"
                let errors = await context.escalate(target, incident: incident, reasons: [reason], ledger: ledger)
                return Proposal(decision: entry(.escalated, [reason], outcome: .needsHuman, recorded: true), errors: errors)
            }
        }

        let live = override ?? LiveTarget(remediation.liveObject, in: context.view)
        let namespace = context.view.namespaces[target.namespace]
        let history = await configuration.audit.history
        var decisionContext = live?.decisionContext(for: remediation.action, namespace: namespace, now: now, history: history)
            ?? DecisionContext(now: now, namespace: namespace.map { ObjectLabels($0.metadata) } ?? ObjectLabels(), history: history)
        decisionContext.sync = sync
        let decision = gate.decide(remediation, context: decisionContext)
        var reasons = decision.reasons.map(\.description)
        // An approval is for one command: if what medic would send now differs (a cap or the
        // live state changed it), the approval is void and the proposal says why.
        var requestHash: String?
        var voided: String?
        if case .needsApproval(let approvedForm, _) = decision {
            // Bound to the request too when medic can send (a writer reads the live object);
            // when that read fails, nothing about the proposal is decided this pass.
            switch await context.executor?.approvalRequest(approvedForm) {
            case .success(let hash)?: requestHash = hash
            case nil: requestHash = approvedForm.approvalHash
            case .failure(let problem)?:
                return Proposal(decision: entry(.needsApproval, reasons + ["its approval cannot be checked now: \(problem.message)"],
                                                approvedForm.redactedCommand, outcome: .needsHuman),
                                errors: [.act("\(actionID): \(problem.message)")])
            }
            if let by = previous?.approvedBy { voided = previous?.approvedHash == requestHash ? nil : by } else { voided = previous?.voidedApproval }
            if let voided {
                reasons.append("\(voided) approved an earlier command of \(actionID), not the one medic would send now "
                               + "(\(approvedForm.redactedCommand ?? identity.actionType)): approve it again to send it")
            }
        }
        let changed = previous?.verdict != decision.verdict || previous?.reasons != reasons || previous?.incident != incident
            || previous?.requestHash != requestHash
        var errors: [PassError] = []

        switch decision {
        case .deny:
            if changed {
                errors.note(await context.record(.decision(incident: incident, action: actionID, remediation: remediation, decision: decision)))
                errors.note(await context.emit(.denied, "\(remediation.redactedCommand ?? identity.actionType) not sent: " + reasons.joined(separator: "; "),
                                               on: target))
            }
            return Proposal(decision: entry(.denied, reasons, recorded: changed), errors: errors)
        case .needsApproval(let approvedForm, _):
            if changed {
                errors.note(await context.record(.decision(incident: incident, action: actionID, remediation: remediation, decision: decision,
                                                           requestHash: requestHash)))
                let expiry = RFC3339.format((previous?.proposedAt ?? now).addingTimeInterval(configuration.approvalTTL))
                errors.note(await context.emit(.proposed, "\(approvedForm.redactedCommand ?? identity.actionType) needs approval: medic approve \(actionID) --cluster, or annotate \(LiveTarget.approvalAnnotation)=\(actionID); expires \(expiry)",
                                               on: target))
            }
            var approver = voided == nil && previous?.approvedHash == requestHash ? previous?.approvedBy : nil
            // An annotation left on the object approved the earlier command: it does not renew.
            let asked = approver == nil && voided == nil
            let (annotated, unreadable) = asked ? await annotatedApprover(of: actionID, on: remediation.liveObject, live: live) : (nil, nil)
            errors.note(unreadable)
            if let by = annotated {
                approver = by
                errors.note(await context.record(.approval(incident: incident, action: actionID, target: target, approver: by,
                                                           approved: true, requestHash: requestHash)))
            }
            guard let approver, context.mode != .advise else {
                var proposal = Proposal(decision: entry(.needsApproval, reasons, approvedForm.redactedCommand, outcome: .needsHuman,
                                                        recorded: changed),
                                        errors: errors)
                // The request was read, or an approval looked for, on the API server.
                proposal.readOutside = context.executor != nil
                    || asked && (live?.approvalID == actionID || context.configuration.remediations != nil)
                return proposal
            }
            let (execution, sent) = await execute(approvedForm, identity: identity, actionID: actionID, incident: incident,
                                                  approved: requestHash)
            return Proposal(decision: entry(.approved, reasons + ["approved by \(approver)"], approvedForm.redactedCommand,
                                            outcome: outcome(of: execution, runbook: runbook)),
                            execution: execution, errors: errors + sent)
        case .allow, .capped:
            let send: Remediation
            if case .capped(let capped, _) = decision { send = capped } else { send = remediation }
            if changed {
                errors.note(await context.record(.decision(incident: incident, action: actionID, remediation: remediation, decision: decision)))
            }
            let verdict: PassReport.DecisionEntry.Verdict = decision == .allow ? .allowed : .capped
            guard remediation.action.isMutating, context.mode != .advise else {
                return Proposal(decision: entry(verdict, reasons, send.redactedCommand, recorded: changed), errors: errors)
            }
            let (execution, sent) = await execute(send, identity: identity, actionID: actionID, incident: incident)
            return Proposal(decision: entry(verdict, reasons, send.redactedCommand, outcome: outcome(of: execution, runbook: runbook),
                                            recorded: changed),
                            execution: execution, errors: errors + sent)
        }
    }

    /// Who approved `id` by annotation: `medic.io/approve=ID` on the object it changes, or
    /// `medic.io/approve=true` on its Remediation object; nil when neither is there. A
    /// Remediation object that cannot be read is returned as an error to report: the action
    /// stays unapproved, and the person who annotated it learns why nothing happened.
    private func annotatedApprover(of id: String, on object: ObjectRef, live: LiveTarget?) async -> (String?, PassError?) {
        if live?.approvalID == id { return (await AnnotationApprover.describe(object, reader: context.configuration.reader), nil) }
        switch await context.configuration.remediations?.approval(of: id) {
        case nil: return (nil, nil)
        case .approved(let by): return (by, nil)
        case .unreadable(let why): return (nil, .remediation(why))
        }
    }

    /// Why `identity` must not be decided again now, if it must not (the never-twice rules),
    /// and what comes next for it.
    private func blockingReason(_ identity: ActionIdentity, incident: String,
                                ledger: ActionLedger) async -> (String, PassReport.ActionOutcome)? {
        let target = identity.target
        if let escalation = ledger.escalation(on: target) {
            // Approved by annotating the object with the escalation's id, as a proposal is.
            let (annotated, unreadable) = await annotatedApprover(of: escalation.id, on: target, live: LiveTarget(target, in: context.view))
            guard let approver = annotated else {
                let unread = unreadable.map { "; its approval could not be checked: \($0.description)" } ?? ""
                return ("\(target) needs a human (\(escalation.id)): " + escalation.reasons.joined(separator: "; ") + unread, .needsHuman)
            }
            if let error = await context.record(.approval(incident: escalation.incident ?? incident, action: escalation.id, target: target,
                                                          approver: approver, approved: true)) {
                return ("\(target) needs a human (\(escalation.id)); its approval by \(approver) could not be recorded: \(error)", .needsHuman)
            }
        }
        guard identity.actionType != ActionKind.notify.rawValue else { return nil }
        if let unsettled = ledger.unsettled(on: target, incident: incident) {
            return (unsettled.isInFlight
                ? "action \(unsettled.id) on \(target) has an intent and no outcome: it may or may not have reached the cluster; check the object, then medic audit resolve \(unsettled.id) --cluster --outcome applied|not-applied --reason …"
                : "action \(unsettled.id) on \(target) waits for its verification", .retryAfter(nil))
        }
        if let until = await context.deferrals.until(target), context.now < until {
            return ("the API server asked to wait (429) until \(RFC3339.format(until))", .retryAfter(until))
        }
        if context.mode == .dryRun,
           let done = ledger.states(of: identity).last(where: { $0.mode == .dryRun && $0.incident == incident && $0.outcomeStatus == 200 }) {
            return ("already proven by the server-side dry run of \(done.id)", .done)
        }
        return nil
    }

    /// What comes next for an action the act stage sent (or, without a writer, could not).
    private func outcome(of execution: PassReport.ExecutionEntry?, runbook: String) -> PassReport.ActionOutcome {
        guard let result = execution?.result else { return .done }
        return switch result {
        case .applied, .unknown: .verifyAfter(context.verificationWindow(for: runbook))
        case .dryRunAccepted, .alreadyInPlace: .done
        case .conflict: .retryAfter(nil)
        case .deferred(let until, _): .retryAfter(until)
        case .failed, .notSent: .failed(result.summary)
        }
    }

    /// Sends a decided action (nothing without a writer).
    private func execute(_ remediation: Remediation, identity: ActionIdentity, actionID: String,
                         incident: String, approved: String? = nil) async -> (PassReport.ExecutionEntry?, [PassError]) {
        guard let executor = context.executor else { return (nil, []) }
        let (result, unrecorded) = await executor.execute(remediation, actionID: actionID, incident: incident, mode: context.mode,
                                                          approved: approved)
        var errors: [PassError] = []
        if let unrecorded { errors.append(.act(unrecorded)) }
        switch result {
        case .applied, .unknown:
            let window = context.verificationWindow(for: identity.runbook)
            errors.note(await context.emit(.applied, "\(remediation.redactedCommand ?? identity.actionType) (action \(actionID), \(identity.runbook)): \(result.summary); verifying within \(CELTime.format(duration: window))",
                                           on: remediation.target))
        case .deferred(let until, _):
            await context.deferrals.defer(remediation.target, until: until)
        case .notSent(let message):
            errors.append(.act("\(actionID): \(message)"))
        case .dryRunAccepted, .alreadyInPlace, .conflict, .failed:
            break
        }
        return (.init(actionID: actionID, incident: incident, remediation: remediation, result: result), errors)
    }
}
