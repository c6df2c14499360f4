import Foundation
import MedicDiagnosis
import MedicKube
import MedicPolicy

/// One reconcile pass: observe → take in people's resolutions of in-flight actions → verify
/// earlier actions → decide → act → record, each a stage that returns what it did
/// (`ObserveStage`, `ResolveStage`, `VerifyStage`, `ActStage`; recording goes through
/// `PassContext`, into the audit log and Events).
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
    private let logCache = CrashLogCache()
    /// Between the passes over a watched cache: each target's results, and each finding's
    /// decisions (nil without one).
    private let memory: PassMemory?
    private let decisions: DecisionMemory?

    public init(configuration: ReconcilerConfiguration) {
        self.configuration = configuration
        let mode = configuration.policy.effectiveMode(requested: configuration.requestedMode)
        self.mode = configuration.writer == nil ? .advise : mode
        gate = PolicyGate(policy: configuration.policy)
        diagnoser = Diagnoser(runbooks: configuration.runbooks)
        memory = configuration.informer == nil ? nil : PassMemory(sweep: configuration.sweepInterval)
        decisions = configuration.informer == nil ? nil : DecisionMemory()
    }

    /// `alerts`: what Alertmanager reported since the last pass; the report answers each.
    /// `fence`: asked before every write of this pass (nil without leader election); a pass
    /// whose task is cancelled stops before the next finding.
    public func pass(alerts: AlertIntake.Batch = .init(), fence: (any WriteFence)? = nil) async -> PassReport {
        let started = ContinuousClock.now
        var configuration = configuration
        configuration.fence = fence
        var report = await reconcile(at: configuration.clock(), alerts: alerts, configuration: configuration)
        if Task.isCancelled { report.errors.append(.cancelled) }
        report.duration = ContinuousClock.now - started
        return report
    }

    private func reconcile(at now: Date, alerts: AlertIntake.Batch, configuration: ReconcilerConfiguration) async -> PassReport {
        var report = PassReport(observationTime: now, mode: mode)
        let ledger = await configuration.audit.ledger
        let observation: Observation
        do {
            observation = try await ObserveStage(reader: configuration.reader, namespace: configuration.namespace,
                                                 prometheus: configuration.prometheus, diagnoser: diagnoser,
                                                 entryPoints: configuration.policy.entryPoints, logCache: logCache,
                                                 informer: configuration.informer, memory: memory,
                                                 forceSweep: !alerts.firing.isEmpty).run(at: now)
        } catch {
            report.errors.append(error)
            return report
        }
        report.findings = observation.findings
        report.unknown = observation.undecided
        report.errors = observation.errors
        report.warnings = observation.warnings
        report.diagnosed = observation.diagnosed
        let triggers = AlertDiagnosis.triggers(of: configuration.runbooks)
        report.alerts = alerts.firing.map {
            AlertDiagnosis(alert: $0, view: observation.view, findings: observation.findings,
                           undecided: observation.undecided, incidents: observation.incidents, triggers: triggers)
        }
        report.closedAlerts = alerts.resolved.map {
            AlertClosure(alert: $0.alert, incidents: $0.incidents, findings: observation.findings)
        }

        let context = PassContext(configuration: configuration, mode: mode, now: now, view: observation.view, deferrals: deferrals)
        report.errors += await ResolveStage(context: context).run(ledger: ledger)
        let verified = await VerifyStage(context: context).run(observation, ledger: await context.ledger)
        report.verifications = verified.verifications
        report.rollbacks = verified.rollbacks
        report.errors += verified.errors

        let kept = await DecisionMemo.start(from: decisions?.take(), for: observation, at: now, maxAge: configuration.sweepInterval)
        let acted = await ActStage(context: context, gate: gate).run(observation.findings, graph: observation.graph,
                                                                     memo: kept, changes: observation.changes)
        if let memo = acted.memo { await decisions?.keep(memo) }
        report.decisions = acted.decisions
        report.executions = acted.executions
        report.opened = acted.opened
        report.errors += acted.errors
        // Records whose objects could not be written, whichever stage wrote them: the state
        // another replica would start from is behind, and `/readyz` says so.
        if let remediations = configuration.remediations {
            report.errors += await remediations.takeFailures().map(PassError.remediation)
        }
        return report
    }
}
