import Foundation
import MedicKube

/// Clearing an action that has an intent and no outcome: medic crashed (or lost the API
/// server) between sending and recording, so it cannot know whether the change landed and
/// will not act on that object again on its own. A human looks at the object and records
/// what they found, as the outcome the log was missing.
public enum InFlightResolution {
    public enum Outcome: String, Sendable, CaseIterable {
        /// The change is in the object: medic verifies it on its next pass like any applied action.
        case applied
        /// The change is not in the object: medic decides again from the cluster as it is.
        case notApplied = "not-applied"
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Code: String, Sendable { case unknown, notInFlight = "not-in-flight", unwritable }
        public var code: Code
        public var description: String
    }

    /// Appends the `outcome` record `id` is missing, naming `person` and `reason`.
    @discardableResult
    public static func resolve(_ id: String, outcome: Outcome, reason: String, by person: String, log: AuditLog,
                               now: Date) async throws(Failure) -> AuditRecord {
        let ledger = await log.ledger
        guard let state = ledger.actions[id] else {
            throw Failure(code: .unknown, description: "no action \(id) in \(log.url.path); `medic audit show` lists them")
        }
        guard state.isInFlight else {
            let why = state.startedAt == nil ? "it was never sent" : "its outcome is on record (HTTP \(state.outcomeStatus ?? 0))"
            throw Failure(code: .notInFlight, description: "\(id) is not in flight: \(why); nothing to resolve")
        }
        let record = event(resolving: state, outcome: outcome, reason: reason, by: person)
        do {
            return try await log.append(record, at: now)
        } catch {
            throw Failure(code: .unwritable, description: error.description)
        }
    }

    /// The outcome record that resolves in-flight `state`: what `medic audit resolve` appends,
    /// and what `medic run` appends for a Remediation object's `medic.io/resolve` annotation.
    public static func event(resolving state: ActionLedger.ActionState, outcome: Outcome, reason: String,
                             by person: String) -> AuditEvent {
        let said = "resolved by \(person): \(Redaction.redact(reason))"
        return switch outcome {
        case .applied: .outcome(incident: state.incident ?? "", action: state.id, target: state.target, status: 200, body: "applied (\(said))")
        case .notApplied: .outcome(incident: state.incident ?? "", action: state.id, target: state.target, status: 0, body: "not applied (\(said))")
        }
    }
}
