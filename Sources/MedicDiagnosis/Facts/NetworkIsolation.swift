import MedicKube

/// Whether the NetworkPolicies selecting a workload's pods let any traffic through. Policies
/// add up: a direction is cut off when at least one policy selecting the pods isolates it and
/// none of those policies has a rule for it (`deny-all-<app>`: `podSelector` on the app,
/// `policyTypes: [Ingress, Egress]`, no rules). A rule of any kind counts as letting traffic
/// through, so medic never claims a cut that a peer selector it does not evaluate might allow.
public struct NetworkIsolation: Sendable, Equatable {
    public var ingressDenied: Bool
    public var egressDenied: Bool
    /// The policies that isolate a denied direction, sorted.
    public var policies: [String]
    /// Those of them that select only some pods of the namespace (not `podSelector: {}`).
    public var targeted: [String]

    static func of(_ workload: Workload, policies all: [NetworkPolicy]) -> NetworkIsolation {
        let selecting = all.filter { ($0.metadata.namespace ?? "default") == workload.namespace
            && $0.spec.podSelector.matches(workload.podLabels) }
        let ingress = selecting.filter(\.spec.isolatesIngress)
        let egress = selecting.filter(\.spec.isolatesEgress)
        let ingressDenied = !ingress.isEmpty && ingress.allSatisfy(\.spec.ingress.isEmpty)
        let egressDenied = !egress.isEmpty && egress.allSatisfy(\.spec.egress.isEmpty)
        let cutting = ((ingressDenied ? ingress : []) + (egressDenied ? egress : []))
        let names = Set(cutting.map(\.metadata.name)).sorted()
        let targeted = Set(cutting.filter { $0.spec.podSelector != LabelSelector() }.map(\.metadata.name)).sorted()
        return NetworkIsolation(ingressDenied: ingressDenied, egressDenied: egressDenied, policies: names, targeted: targeted)
    }
}
