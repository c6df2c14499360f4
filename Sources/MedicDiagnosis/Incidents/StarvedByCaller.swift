import MedicKube

extension CausalRule {
    /// A Service whose requests fell away (a traffic drop, read from metrics) is explained by a
    /// fault on what sends it those requests: a workload that calls it, or a Service in front of
    /// that workload. The gateway's Service selects no pod, so no request reaches the gateway,
    /// so none reaches the API it calls: the API's drop is the gateway Service's fault, not the
    /// API's. Only findings a caller can explain (`explainedBy: [caller]`) are linked this way,
    /// and only to findings that are not symptoms themselves.
    public static let starvedByCaller = CausalRule(name: "starved-by-caller") { context in
        context.findings.filter { $0.target.kind == "Service" && context.canBeExplained($0, by: .caller) }.flatMap { symptom in
            (context.graph.callers[symptom.target] ?? []).flatMap { caller in
                ([caller] + context.graph.services(sendingTo: caller)).flatMap { object in
                    context.findings(on: object).filter { !context.canBeExplained($0, by: .fault) }.map { cause in
                        CausalLink(cause: cause.id, symptom: symptom.id, rule: "starved-by-caller",
                                   reason: object == caller
                                       ? "\(caller.name) sends Service \(symptom.target.name) its requests, and has the fault"
                                       : "\(caller.name) sends Service \(symptom.target.name) its requests, and they reach "
                                           + "\(caller.name) through Service \(object.name), which has the fault")
                    }
                }
            }
        }
    }
}
