import MedicKube

/// `set-env`: set variables on one container (or all), e.g. turn a chaos flag off or point
/// a URL at the Service that exists.
public struct SetEnv: ActionDescriptor {
    public let container: String?
    public let variables: [EnvAssignment]

    public static var kind: ActionKind { .setEnv }
    public static let parameters = [ActionParameter("container", required: false), ActionParameter("env", .map, required: true)]
    public static var envNamesParameter: String? { "env" }
    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch")
    public static let example = SetEnv(container: "app", variables: [EnvAssignment(name: "MODE", value: "safe")])

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .setEnv(container: try values.optionalString("container"),
                                       variables: try values.map("env").map { EnvAssignment(name: $0.key, value: $0.value) }))
    }

    public var reversal: Reversal { .restoreContainerField("env") }
    public var containerName: String? { container }
    public var envNames: [String]? { variables.map(\.name) }

    /// Variables that hold pool sizes are held to the policy's maximum.
    public func capped(by caps: inout some ActionCapping) -> SetEnv {
        SetEnv(container: container, variables: variables.map { caps.environment($0) })
    }

    public func validate(_ validator: Validator) throws(RemediationError) {
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

    public func arguments(for target: ObjectRef) -> [String] {
        ["set", "env", target.kubectlTypeAndName] + (container.map { ["-c", $0] } ?? [])
            + variables.map { "\($0.name)=\($0.value)" }
    }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "set-env", target: target, container: container, current: current, options: options) { live in
            EnvListPatch.diff(from: live.env, to: EnvListPatch.updated(live.env, assigning: variables, removing: []))
        }
    }
}

extension ActionKind {
    public static let setEnv = ActionKind("set-env")
}

extension Action {
    /// Set variables on `container`, or on every container when nil.
    public static func setEnv(container: String?, variables: [EnvAssignment]) -> Action {
        Action(SetEnv(container: container, variables: variables))
    }
}
