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
        var byID = Dictionary(findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func targets(_ incident: Incident, rollback: Bool) -> Set<ObjectRef> {
            Set(incident.rootCauses.compactMap { byID[$0] }.flatMap(\.actions)
                .filter { $0.type != "notify" && ($0.type == Self.rollback) == rollback }.map(\.remediation.target))
        }
        var ordered = incidents
        var index = 0
        while index < ordered.count {
            let rolledBack = targets(ordered[index], rollback: true)
            if let earlier = ordered[..<index].firstIndex(where: { !targets($0, rollback: false).isDisjoint(with: rolledBack) }) {
                ordered.insert(ordered.remove(at: index), at: earlier)
            }
            index += 1
        }
        // Say why on every change that a rollback of the same workload precedes.
        for (position, incident) in ordered.enumerated() {
            let rollbackRunbook = incident.rootCauses.compactMap { byID[$0]?.runbook }.first ?? ""
            for target in targets(incident, rollback: true) {
                for later in ordered[(position + 1)...] {
                    for id in later.rootCauses where byID[id]?.actions.contains(where: {
                        $0.type != "notify" && $0.type != Self.rollback && $0.remediation.target == target
                    }) == true {
                        byID[id]?.evidence.append("order: apply after the rollback of \(target) "
                            + "(\(rollbackRunbook)); rolling back restores an earlier "
                            + "pod template and would undo this change")
                    }
                }
            }
        }
        return (ordered.flatMap { ($0.rootCauses + $0.symptoms).compactMap { byID[$0] } }, ordered)
    }
}
