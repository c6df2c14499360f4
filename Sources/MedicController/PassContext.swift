import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube
import MedicPolicy

/// What the stages after observation share within one pass: the configuration, the mode, the
/// pass's clock reading and the cluster as observed. Recording goes through it, so each stage
/// returns its errors instead of threading a report.
struct PassContext: Sendable {
    let configuration: ReconcilerConfiguration
    let mode: Mode
    let now: Date
    let view: ClusterView
    let deferrals: Deferrals

    var executor: Executor? {
        configuration.writer.map { Executor(reader: configuration.reader, writer: $0, audit: configuration.audit, clock: configuration.clock,
                                      fence: configuration.fence, remediations: configuration.remediations) }
    }

    /// The audit log's ledger as of its last append: what every decision is made from.
    var ledger: ActionLedger {
        get async { await configuration.audit.ledger }
    }

    /// How long `runbook`'s findings get to clear after an action.
    func verificationWindow(for runbook: String) -> TimeInterval {
        configuration.runbooks.first { $0.id == runbook }?.verification?.within ?? configuration.verification.defaultWindow
    }

    /// Appends `event`; the error when it could not be written.
    func record(_ event: AuditEvent) async -> PassError? {
        do {
            try await configuration.audit.append(event, at: configuration.clock(), fence: configuration.fence,
                                                 remediations: configuration.remediations)
            return nil
        } catch .fenced(let error) {
            return .fenced(error)
        } catch .unmirrored {
            // Reported once for the pass with every other such failure (`RemediationStore.takeFailures`).
            return nil
        } catch {
            return .audit(error.description)
        }
    }

    /// Creates an Event on `target` in apply mode; the error when it could not be created.
    func emit(_ reason: EventRecorder.Reason, _ message: String, on target: ObjectRef) async -> PassError? {
        guard mode == .apply, let events = configuration.events else { return nil }
        let uid = LiveTarget(target, in: view)?.metadata.uid
        guard let error = await events.record(reason, message: message, on: target, uid: uid) else { return nil }
        return .event("\(reason.rawValue) on \(target): \(error.description)")
    }

    /// Marks `target` as needing a human: no further actions on it until someone approves the
    /// escalation's id. Persisted as a `needs-human` decision, so a restart keeps it.
    func escalate(_ target: ObjectRef, incident: String?, reasons: [String], ledger: ActionLedger) async -> [PassError] {
        let id = ledger.newEscalationID(for: target)
        let reasons = reasons + ["medic will not act on \(target) again until a human approves \(id) (medic approve \(id) --cluster, "
                                 + "or annotate \(LiveTarget.approvalAnnotation)=\(id) on it)"]
        let recorded = await record(AuditEvent(type: .decision, incident: incident, action: id, target: target,
                                               payload: AuditPayload(verdict: Verdict.needsHuman, reasons: reasons)))
        let emitted = await emit(.denied, "needs a human: " + reasons.joined(separator: "; "), on: target)
        return [recorded, emitted].compactMap { $0 }
    }
}

/// Targets the API server asked medic to leave alone for a while (429 Retry-After). Kept in
/// memory only: a restart takes longer than any Retry-After worth honouring.
actor Deferrals {
    private var until: [ObjectRef: Date] = [:]

    func until(_ target: ObjectRef) -> Date? { until[target] }

    func `defer`(_ target: ObjectRef, until date: Date) { until[target] = date }
}
