import MedicKube

extension CausalRule {
    /// A workload whose finding a dependency can explain (a crash loop, a not-ready pod, a slow
    /// or saturated caller) calls a Service that has a finding of its own, or whose selected
    /// workloads have one: the dependency is the cause. The call is read from the caller's
    /// environment, its `medic.io/depends-on` annotation, or its crashed containers' last words.
    public static let failingDependency = CausalRule(name: "failing-dependency") { context in
        context.findings.filter { context.canBeExplained($0, by: .dependency) && $0.target.kind != "Service" }
            .flatMap { symptom in
                context.graph.dependencies(of: symptom.target).flatMap { call in
                    let behind = context.graph.selected[call.service] ?? []
                    return (context.findings(on: call.service) + behind.flatMap(context.findings(on:)))
                        .filter { $0.target != symptom.target }
                        .map { cause in
                            CausalLink(cause: cause.id, symptom: symptom.id, rule: "failing-dependency",
                                       reason: "\(symptom.target.name) calls Service \(call.service.name) "
                                           + "(\(call.source.describe(call.detail))), "
                                           + (cause.target == call.service ? "which fails" : "and \(cause.target.name) behind it fails"))
                        }
                }
            }
    }
}

extension ServiceGraph.Source {
    /// "its env DATABASE_URL names it", for a causal link's reason.
    func describe(_ detail: String) -> String {
        switch self {
        case .environment: "\(detail) names it"
        case .annotation: "its \(detail) annotation names it"
        case .log: "\(detail) name it"
        }
    }
}
