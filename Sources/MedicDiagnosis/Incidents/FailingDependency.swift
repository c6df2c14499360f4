import MedicKube

extension CausalRule {
    /// A workload whose finding a dependency can explain (a crash loop, a not-ready pod, a slow
    /// or saturated caller) calls a Service that has a finding of its own, or whose selected
    /// workloads have one: the dependency is the cause (its fault when one is found, else its
    /// own symptom, such as its 5xx share). A Service's symptom (its 5xx share, its p95) is read
    /// through the workloads it selects: their calls are its calls. The call is
    /// read from the caller's environment, its `medic.io/depends-on` annotation, or its crashed
    /// containers' last words.
    public static let failingDependency = CausalRule(name: "failing-dependency") { context in
        context.findings.filter { finding in
            context.canBeExplained(finding, by: .dependency)
                && (finding.target.kind != "Service" || context.canBeExplained(finding, by: .fault))
        }.flatMap { symptom in
            let callers = symptom.target.kind == "Service" ? context.graph.selected[symptom.target] ?? [] : [symptom.target]
            return callers.flatMap { caller in
                context.graph.dependencies(of: caller).flatMap { call in
                    let behind = context.graph.selected[call.service] ?? []
                    // A dependency that gets fewer requests (a traffic drop, explained by its callers)
                    // is the caller's doing, never its cause: the pool leak that starves postgres
                    // stays the root, not postgres's quiet.
                    let failing = (context.findings(on: call.service) + behind.flatMap(context.findings(on:)))
                        .filter { $0.target != symptom.target && $0.target != caller && !context.canBeExplained($0, by: .caller) }
                    // A fault there is the cause; only without one does its symptom (its errors) stand in.
                    let faults = failing.filter { !context.canBeExplained($0, by: .fault) }
                    let via = caller == symptom.target ? "\(caller.name) calls" : "Service \(symptom.target.name) sends to \(caller.name), which calls"
                    return (faults.isEmpty ? failing : faults).map { cause in
                        CausalLink(cause: cause.id, symptom: symptom.id, rule: "failing-dependency",
                                   reason: "\(via) Service \(call.service.name) (\(call.source.describe(call.detail))), "
                                       + (cause.target == call.service ? "which fails" : "and \(cause.target.name) behind it fails"))
                    }
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
        case .metrics: "\(detail) counts its calls"
        }
    }
}
