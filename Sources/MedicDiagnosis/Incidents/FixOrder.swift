import MedicKube

/// Several fixes on one workload must be applied in an order that holds: a rollback restores an
/// earlier pod template, so any change applied before it (a `set env`, new resources) is undone.
/// The rollback comes first, and each change that must survive it says so in its evidence.
/// `medic run` applies findings in report order, so it follows the same plan.
enum FixOrder {
    static let rollback = "rollout-undo"

    /// Moves each incident whose root cause rolls a workload back before the first incident that
    /// changes that workload otherwise, and returns the findings in the new incident order.
    static func arrange(_ findings: [Finding], _ incidents: [Incident]) -> (findings: [Finding], incidents: [Incident]) {
        // Positions, not copies: this runs on every report, over every finding.
        var findings = findings
        let byID = Dictionary(findings.indices.map { (findings[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        func actions(_ id: String) -> [ProposedAction] { byID[id].map { findings[$0].actions } ?? [] }
        /// What the incident's root causes change otherwise, and what they roll back, in one walk.
        func targets(_ incident: Incident) -> (incident: Incident, changed: Set<ObjectRef>, rolledBack: Set<ObjectRef>) {
            var changed = Set<ObjectRef>(), rolledBack = Set<ObjectRef>()
            for action in incident.rootCauses.flatMap(actions) {
                let type = action.type
                if type == Self.rollback { rolledBack.insert(action.remediation.target) } else if type != "notify" { changed.insert(action.remediation.target) }
            }
            return (incident, changed, rolledBack)
        }
        // Each incident's targets are computed once and move with it; only incidents that roll
        // something back look at the ones before them (linear when, as usual, few do).
        var ordered = incidents.map(targets)
        // The first incident (in the given order) to change each target: the incidents before
        // one at `index` are those first given before it, in whatever order the moves left them,
        // so a rollback no earlier incident changes looks at none of them (the usual case, even
        // with hundreds of failed rollouts).
        var firstChange: [ObjectRef: Int] = [:]
        for (index, entry) in ordered.enumerated() {
            for target in entry.changed where firstChange[target] == nil { firstChange[target] = index }
        }
        for index in ordered.indices where !ordered[index].rolledBack.isEmpty {
            let rolledBack = ordered[index].rolledBack
            guard rolledBack.contains(where: { firstChange[$0].map { $0 < index } ?? false }) else { continue }
            if let earlier = ordered[..<index].firstIndex(where: { !$0.changed.isDisjoint(with: rolledBack) }) {
                ordered.insert(ordered.remove(at: index), at: earlier)
            }
        }
        // Say why on every change that a rollback of the same workload precedes. The changes
        // are indexed by target once, so this stays linear however many incidents roll back.
        var changes: [ObjectRef: [(position: Int, finding: String)]] = [:]
        for (position, entry) in ordered.enumerated() {
            for id in entry.incident.rootCauses {
                for target in Set(actions(id).filter({ $0.type != "notify" && $0.type != Self.rollback }).map(\.remediation.target)) {
                    changes[target, default: []].append((position, id))
                }
            }
        }
        for (position, entry) in ordered.enumerated() where !entry.rolledBack.isEmpty {
            let rollbackRunbook = entry.incident.rootCauses.compactMap { byID[$0].map { findings[$0].runbook } }.first ?? ""
            for target in entry.rolledBack {
                for change in changes[target] ?? [] where change.position > position {
                    guard let index = byID[change.finding] else { continue }
                    findings[index].evidence.append("order: apply after the rollback of \(target) "
                        + "(\(rollbackRunbook)); rolling back restores an earlier "
                        + "pod template and would undo this change")
                }
            }
        }
        let incidentOrder = ordered.map(\.incident)
        return (incidentOrder.flatMap { ($0.rootCauses + $0.symptoms).compactMap { byID[$0].map { findings[$0] } } }, incidentOrder)
    }
}
