import MedicKube

/// `unset-env`: remove variables from one container (or all), e.g. a fault-injection flag.
struct UnsetEnv: ActionRendering {
    let container: String?
    let names: [String]

    func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        if let container { try validator.dnsLabel(container, "container name") }
        if names.isEmpty { throw validator.refuse("no variables to remove") }
        for name in names { try validator.envName(name) }
        if Set(names).count != names.count {
            throw validator.refuse("a variable is listed twice in \(names)")
        }
    }

    /// kubectl reads `NAME-` as "remove NAME".
    func arguments(for target: ObjectRef) -> [String] {
        ["set", "env", target.kubectlTypeAndName] + (container.map { ["-c", $0] } ?? []) + names.map { "\($0)-" }
    }

    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "unset-env", target: target, container: container, current: current, options: options) { live in
            EnvListPatch.diff(from: live.env, to: EnvListPatch.updated(live.env, assigning: [], removing: names))
        }
    }
}
