import MedicAudit

/// In-flight actions a person resolved in the cluster: an intent with no outcome (medic died or
/// lost the API server mid-request) blocks its target until someone looks. In a pod, whose
/// audit log `medic audit resolve` cannot reach, they annotate the action's Remediation object
/// (`medic.io/resolve=applied|not-applied`, `medic.io/resolve-reason=…`), and the leader
/// records the outcome as `medic audit resolve` would, naming the field manager that set it.
/// Runs before verification and acting, so the pass decides from the resolved ledger.
struct ResolveStage: Sendable {
    let context: PassContext

    func run(ledger: ActionLedger) async -> [PassError] {
        guard let store = context.configuration.remediations else { return [] }
        var errors: [PassError] = []
        for state in ledger.actions.values.sorted(by: { $0.id < $1.id }) where state.isInFlight {
            switch await store.resolution(of: state.id) {
            case nil:
                continue
            case .invalid(let why):
                errors.append(.remediation(why))
            case .resolved(let outcome, let reason, let by):
                errors.note(await context.record(InFlightResolution.event(resolving: state, outcome: outcome, reason: reason, by: by)))
            }
        }
        return errors
    }
}
