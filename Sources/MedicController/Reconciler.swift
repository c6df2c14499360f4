import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation
import MedicRunbook

/// One reconcile pass: observe → diagnose → verify earlier actions → decide → act → record.
///
/// Level-based, as controller-runtime reconcilers are: every pass starts from what the cluster
/// is now and what the audit log says was done, never from memory of the last pass, so a
/// restart (or a crash between intent and outcome) changes nothing about what it does next.
/// Policy, dry-run and the audit trail wrap the act stage; the actions know nothing of them.
public struct Reconciler: Sendable {
    public let configuration: ReconcilerConfiguration
    /// The mode this reconciler runs in: the policy's, lowered by the requested mode, and
    /// `advise` when it holds no writer.
    public let mode: Mode
    private let gate: PolicyGate
    private let diagnoser: Diagnoser
    private let deferrals = Deferrals()

    public init(configuration: ReconcilerConfiguration) {
        self.configuration = configuration
        let mode = configuration.policy.effectiveMode(requested: configuration.requestedMode)
        self.mode = configuration.writer == nil ? .advise : mode
        gate = PolicyGate(policy: configuration.policy)
        diagnoser = Diagnoser(runbooks: configuration.runbooks)
    }

    public func pass() async -> PassReport {
        let started = ContinuousClock.now
        let now = configuration.clock()
        var report = PassReport(observationTime: now, mode: mode.rawValue)
        var pass = Pass(reconciler: self, now: now)
        await pass.run(into: &report)
        report.duration = ContinuousClock.now - started
        return report
    }

    /// The state of one pass: the log as read at its start (re-read after each write), and
    /// what it observed.
    private struct Pass {
        let reconciler: Reconciler
        let now: Date
        var ledger = ActionLedger(records: [])
        var history = ActionHistory()
        var view: ClusterView?
        var findings: [Finding] = []
        var undecided: [UndecidedCheck] = []
        var openedThisPass: Set<String> = []

        var configuration: ReconcilerConfiguration { reconciler.configuration }
        var mode: Mode { reconciler.mode }
        var executor: Executor? {
            configuration.writer.map { Executor(reader: configuration.reader, writer: $0, audit: configuration.audit, clock: configuration.clock) }
        }

        init(reconciler: Reconciler, now: Date) {
            self.reconciler = reconciler
            self.now = now
        }

        mutating func run(into report: inout PassReport) async {
            guard reload(into: &report) else { return }
            let reading: ClusterSnapshotReader.Reading
            do {
                reading = try await ClusterSnapshotReader(reader: configuration.reader, namespace: configuration.namespace).read()
            } catch {
                report.errors.append("observe: \(error.description)")
                return
            }
            let view = ClusterView(reading.snapshot)
            self.view = view
            let metrics = await MetricFetcher(client: configuration.prometheus).fetch(reconciler.diagnoser.metricQueries, at: now)
            var unavailable = Set<String>()
            for (query, data) in metrics {
                if case .unavailable(let reason) = data, unavailable.insert(reason).inserted {
                    report.errors.append("prometheus: \(query): \(reason)")
                }
            }
            let diagnosis = reconciler.diagnoser.diagnose(view, metrics: metrics, options: .init(now: now, namespace: configuration.namespace))
            findings = diagnosis.findings
            undecided = diagnosis.undecided
            report.findings = findings
            report.unknown = undecided

            await verifyEarlierActions(into: &report)
            guard reload(into: &report) else { return }
            for finding in findings {
                await handle(finding, into: &report)
            }
        }

        /// Re-reads the audit log: the ledger and the gate's history are whatever it says.
        mutating func reload(into report: inout PassReport) -> Bool {
            do {
                let records = try AuditLog.records(at: configuration.audit.url)
                ledger = ActionLedger(records: records)
                history = ActionHistory.recover(from: records)
                return true
            } catch {
                report.errors.append("audit log: \(error.description); nothing is decided without the action history")
                return false
            }
        }

        @discardableResult
        func append(_ event: AuditEvent, into report: inout PassReport) async -> Bool {
            do {
                try await configuration.audit.append(event, at: configuration.clock())
                return true
            } catch {
                report.errors.append("audit log: \(error.description)")
                return false
            }
        }

        func emit(_ reason: EventRecorder.Reason, _ message: String, on target: ObjectRef, into report: inout PassReport) async {
            guard mode == .apply, let events = configuration.events else { return }
            let uid = view.flatMap { LiveTarget(target, in: $0) }?.metadata.uid
            if let error = await events.record(reason, message: message, on: target, uid: uid) {
                report.errors.append("event \(reason.rawValue) on \(target): \(error.description)")
            }
        }

        // MARK: Verify

        mutating func verifyEarlierActions(into report: inout PassReport) async {
            for action in ledger.awaitingVerification {
                guard let incident = action.incident, let opened = ledger.incidents[incident], let started = action.startedAt else { continue }
                let runbook = opened.runbook
                let window = configuration.runbooks.first { $0.id == runbook }?.verification?.within
                    ?? configuration.verification.defaultWindow
                let present = findings.first { $0.runbook == runbook && $0.target == action.target }
                let unknown = undecided.contains { $0.runbook == runbook && $0.target == action.target }
                let elapsed = CELTime.format(duration: max(0, now.timeIntervalSince(started).rounded()))
                if present == nil, !unknown {
                    let detail = "\(runbook) no longer matches \(action.target), \(elapsed) after action \(action.id)"
                    await append(.verification(incident: incident, action: action.id, target: action.target, passed: true, detail: detail),
                                 into: &report)
                    report.verifications.append(.init(actionID: action.id, target: action.target, state: .passed, detail: detail))
                    await emit(.verified, "\(action.command ?? action.id): fixed, \(detail)", on: action.target, into: &report)
                    continue
                }
                guard now >= started.addingTimeInterval(window) else {
                    let detail = present.map { "still present: \($0.summary)" } ?? "cannot be checked yet (conditions unknown)"
                    report.verifications.append(.init(actionID: action.id, target: action.target, state: .pending,
                                                      detail: "\(detail); window \(CELTime.format(duration: window)), \(elapsed) elapsed"))
                    continue
                }
                let detail = present.map { "\(runbook) still matches \(action.target) \(elapsed) after action \(action.id): \($0.summary)" }
                    ?? "\(runbook) could not be checked on \(action.target) within \(CELTime.format(duration: window)) (conditions unknown)"
                await append(.verification(incident: incident, action: action.id, target: action.target, passed: false, detail: detail),
                             into: &report)
                report.verifications.append(.init(actionID: action.id, target: action.target, state: .failed, detail: detail))
                var reasons = ["verification of \(action.id) failed: \(detail)"]
                if present != nil, let executor {
                    let result = await executor.rollback(action, reason: "verification failed")
                    report.rollbacks.append(.init(actionID: action.id, target: action.target, result: result))
                    switch result {
                    case .restored(let text):
                        reasons.append("rolled back: \(text)")
                        await emit(.rolledBack, "\(action.command ?? action.id) did not fix \(runbook) within \(CELTime.format(duration: window)); rolled back", on: action.target, into: &report)
                    case .irreversible(let text), .failed(let text):
                        reasons.append(text)
                        report.errors.append(text)
                    }
                } else if present != nil {
                    reasons.append("not rolled back: this reconciler holds no writer (advise mode)")
                }
                await escalate(action.target, incident: incident, reasons: reasons, into: &report)
            }
        }

        /// Marks `target` as needing a human: no further actions on it until someone approves
        /// the escalation's id. Persisted as a `needs-human` decision, so a restart keeps it.
        func escalate(_ target: ObjectRef, incident: String?, reasons: [String], into report: inout PassReport) async {
            let id = ledger.newEscalationID(for: target)
            let reasons = reasons + ["medic will not act on \(target) again until a human approves \(id) (medic approve \(id))"]
            await append(AuditEvent(type: .decision, incident: incident, action: id, target: target,
                                    payload: AuditPayload(verdict: Verdict.needsHuman, reasons: reasons)), into: &report)
            await emit(.denied, "needs a human: " + reasons.joined(separator: "; "), on: target, into: &report)
        }

        // MARK: Decide and act

        mutating func handle(_ finding: Finding, into report: inout PassReport) async {
            let incident: String
            if let open = ledger.openIncident(runbook: finding.runbook, target: finding.target) {
                incident = open
            } else {
                incident = ledger.newIncidentID(runbook: finding.runbook, target: finding.target)
                openedThisPass.insert(incident)
            }
            if openedThisPass.contains(incident) {
                await append(.finding(incident: incident, target: finding.target, runbook: finding.runbook,
                                      severity: finding.severity.rawValue, summary: finding.summary, evidence: finding.evidence),
                             into: &report)
                guard reload(into: &report) else { return }
            }
            for proposed in finding.actions {
                await handle(proposed.remediation, runbook: finding.runbook, incident: incident, into: &report)
                guard reload(into: &report) else { return }
            }
        }

        mutating func handle(_ remediation: Remediation, runbook: String, incident: String, into report: inout PassReport) async {
            let identity = ActionIdentity(runbook: runbook, remediation: remediation)
            let target = remediation.target
            let actionID = ledger.currentActionID(for: identity, now: now, approvalTTL: configuration.approvalTTL)
            let previous = ledger.actions[actionID]
            func entry(_ verdict: PassReport.DecisionEntry.Verdict, _ reasons: [String], _ command: String? = remediation.kubectlCommand)
                -> PassReport.DecisionEntry {
                .init(actionID: actionID, identity: identity, verdict: verdict, reasons: reasons, command: command)
            }

            if let blocked = await blockingReason(identity, incident: incident) {
                report.decisions.append(entry(.blocked, [blocked]))
                return
            }
            if mode == .apply, remediation.action.isMutating {
                let since = now.addingTimeInterval(-configuration.verification.flapWindow)
                let count = ledger.appliedCount(like: identity, since: since)
                if count >= configuration.verification.flapLimit {
                    let reason = "\(runbook) came back on \(target) after \(count) \(identity.actionType) actions within \(CELTime.format(duration: configuration.verification.flapWindow)): fixing the symptom again would hide the cause"
                    await escalate(target, incident: incident, reasons: [reason], into: &report)
                    report.decisions.append(entry(.escalated, [reason]))
                    return
                }
            }

            let live = view.flatMap { LiveTarget(target, in: $0) }
            let namespace = view?.namespaces[target.namespace]
            let context = live?.decisionContext(for: remediation.action, namespace: namespace, now: now, history: history)
                ?? DecisionContext(now: now, namespace: namespace.map { ObjectLabels($0.metadata) } ?? ObjectLabels(), history: history)
            let decision = reconciler.gate.decide(remediation, context: context)
            let reasons = decision.reasons.map(\.description)
            let changed = previous?.verdict != decision.verdict || previous?.reasons != reasons || previous?.incident != incident

            switch decision {
            case .deny:
                if changed {
                    await append(.decision(incident: incident, action: actionID, remediation: remediation, decision: decision), into: &report)
                    await emit(.denied, "\(remediation.kubectlCommand ?? identity.actionType) not sent: " + reasons.joined(separator: "; "),
                               on: target, into: &report)
                }
                report.decisions.append(entry(.denied, reasons))
            case .needsApproval(let approvedForm, _):
                if changed {
                    await append(.decision(incident: incident, action: actionID, remediation: remediation, decision: decision), into: &report)
                    let expiry = RFC3339.format((previous?.proposedAt ?? now).addingTimeInterval(configuration.approvalTTL))
                    await emit(.proposed, "\(approvedForm.kubectlCommand ?? identity.actionType) needs approval: medic approve \(actionID), or annotate \(LiveTarget.approvalAnnotation)=\(actionID); expires \(expiry)",
                               on: target, into: &report)
                }
                var approver = ledger.actions[actionID]?.approvedBy
                if approver == nil, live?.approvalID == actionID {
                    approver = "annotation \(LiveTarget.approvalAnnotation) on \(target)"
                    await append(.approval(incident: incident, action: actionID, target: target, approver: approver!, approved: true),
                                 into: &report)
                }
                guard let approver, mode != .advise else {
                    report.decisions.append(entry(.needsApproval, reasons, approvedForm.kubectlCommand))
                    return
                }
                report.decisions.append(entry(.approved, reasons + ["approved by \(approver)"], approvedForm.kubectlCommand))
                await execute(approvedForm, identity: identity, actionID: actionID, incident: incident, into: &report)
            case .allow, .capped:
                let send: Remediation
                if case .capped(let capped, _) = decision { send = capped } else { send = remediation }
                if changed {
                    await append(.decision(incident: incident, action: actionID, remediation: remediation, decision: decision), into: &report)
                }
                report.decisions.append(entry(decision == .allow ? .allowed : .capped, reasons, send.kubectlCommand))
                guard remediation.action.isMutating, mode != .advise else { return }
                await execute(send, identity: identity, actionID: actionID, incident: incident, into: &report)
            }
        }

        /// Why `identity` must not be decided again now, if it must not: the never-twice rules.
        func blockingReason(_ identity: ActionIdentity, incident: String) async -> String? {
            let target = identity.target
            if let escalation = ledger.escalation(on: target) {
                return "\(target) needs a human (\(escalation.id)): " + escalation.reasons.joined(separator: "; ")
            }
            guard identity.actionType != "notify" else { return nil }
            if let unsettled = ledger.unsettled(on: target) {
                return unsettled.isInFlight
                    ? "action \(unsettled.id) on \(target) has an intent and no outcome: it may or may not have reached the cluster"
                    : "action \(unsettled.id) on \(target) waits for its verification"
            }
            if let until = await reconciler.deferrals.until(target), now < until {
                return "the API server asked to wait (429) until \(RFC3339.format(until))"
            }
            if mode == .dryRun, let done = ledger.states(of: identity).last(where: { $0.mode == "dry-run" && $0.incident == incident && $0.outcomeStatus == 200 }) {
                return "already proven by the server-side dry run of \(done.id)"
            }
            return nil
        }

        func execute(_ remediation: Remediation, identity: ActionIdentity, actionID: String, incident: String,
                     into report: inout PassReport) async {
            guard let executor else { return }
            let (result, unrecorded) = await executor.execute(remediation, actionID: actionID, incident: incident, mode: mode)
            if let unrecorded { report.errors.append(unrecorded) }
            report.executions.append(.init(actionID: actionID, remediation: remediation, result: result))
            switch result {
            case .applied, .unknown:
                let window = configuration.runbooks.first { $0.id == identity.runbook }?.verification?.within
                    ?? configuration.verification.defaultWindow
                await emit(.applied, "\(remediation.kubectlCommand ?? identity.actionType) (action \(actionID), \(identity.runbook)): \(result.summary); verifying within \(CELTime.format(duration: window))",
                           on: remediation.target, into: &report)
            case .deferred(let until, _):
                await reconciler.deferrals.defer(remediation.target, until: until)
            case .notSent(let message):
                report.errors.append("\(actionID): \(message)")
            case .dryRunAccepted, .alreadyInPlace, .conflict, .failed:
                break
            }
        }
    }
}

/// Targets the API server asked medic to leave alone for a while (429 Retry-After). Kept in
/// memory only: a restart takes longer than any Retry-After worth honouring.
private actor Deferrals {
    private var until: [ObjectRef: Date] = [:]

    func until(_ target: ObjectRef) -> Date? { until[target] }

    func `defer`(_ target: ObjectRef, until date: Date) { until[target] = date }
}
