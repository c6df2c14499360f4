import MedicKube

/// `set-env`: set variables on one container (or all), e.g. turn a chaos flag off or point
/// a URL at the Service that exists.
struct SetEnv: ActionRendering {
    let container: String?
    let variables: [EnvAssignment]

    func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        if let container { try validator.dnsLabel(container, "container name") }
        if variables.isEmpty { throw validator.refuse("no variables to set") }
        var seen: Set<String> = []
        for variable in variables {
            try validator.envName(variable.name)
            try validator.argumentValue(variable.value, "value of \(variable.name)")
            if !seen.insert(variable.name).inserted {
                throw validator.refuse("\(variable.name) is assigned twice; kubectl would keep only the first value")
            }
        }
    }

    func arguments(for target: ObjectRef) -> [String] {
        ["set", "env", target.kubectlTypeAndName] + (container.map { ["-c", $0] } ?? [])
            + variables.map { "\($0.name)=\($0.value)" }
    }

    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "set-env", target: target, container: container, current: current, options: options) { live in
            EnvListPatch.diff(from: live.env, to: EnvListPatch.updated(live.env, assigning: variables, removing: []))
        }
    }
}
