import MedicKube

extension CausalRule {
    /// A symptom read from metrics (a Service answering 5xx, its p95 rising) is explained by a
    /// fault found on its own object, or on the workloads its Service selects: the gateway
    /// answers 503 because its selector matches no pod; order-service fails because its database
    /// address names no Service. Only findings a fault can explain (`explainedBy: [fault]`, the
    /// symptom layer) are linked this way, and only to findings that are faults themselves.
    public static let faultBehind = CausalRule(name: "fault-behind") { context in
        context.findings.filter { context.canBeExplained($0, by: .fault) }.flatMap { symptom in
            let behind = symptom.target.kind == "Service" ? context.graph.selected[symptom.target] ?? [] : []
            return ([symptom.target] + behind).flatMap { object in
                context.findings(on: object).filter { !context.canBeExplained($0, by: .fault) }.map { cause in
                    CausalLink(cause: cause.id, symptom: symptom.id, rule: "fault-behind",
                               reason: object == symptom.target
                                   ? "\(object.kind) \(object.name) itself has the fault"
                                   : "Service \(symptom.target.name) sends its requests to \(object.name), which has the fault")
                }
            }
        }
    }
}
