import MedicKube

/// `unset-env`: remove variables from one container (or all), e.g. a fault-injection flag.
public struct UnsetEnv: ActionDescriptor {
    public let container: String?
    public let names: [String]

    public static var kind: ActionKind { .unsetEnv }
    public static let parameters = [ActionParameter("container", required: false),
                                    ActionParameter("names", .templateOrList, required: true)]
    public static var envNamesParameter: String? { "names" }
    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch")
    public static let example = UnsetEnv(container: "app", names: ["DEBUG"])

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .unsetEnv(container: try values.optionalString("container"), names: try values.list("names")))
    }

    public var reversal: Reversal { .restoreContainerField("env") }
    public var containerName: String? { container }
    public var envNames: [String]? { names }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        if let container { try validator.dnsLabel(container, "container name") }
        if names.isEmpty { throw validator.refuse("no variables to remove") }
        for name in names { try validator.envName(name) }
        if Set(names).count != names.count {
            throw validator.refuse("a variable is listed twice in \(names)")
        }
    }

    /// kubectl reads `NAME-` as "remove NAME".
    public func arguments(for target: ObjectRef) -> [String] {
        ["set", "env", target.kubectlTypeAndName] + (container.map { ["-c", $0] } ?? []) + names.map { "\($0)-" }
    }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "unset-env", target: target, container: container, current: current, options: options) { live in
            EnvListPatch.diff(from: live.env, to: EnvListPatch.updated(live.env, assigning: [], removing: names))
        }
    }
}

extension ActionKind {
    public static let unsetEnv = ActionKind("unset-env")
}

extension Action {
    /// Remove variables from `container`, or from every container when nil.
    public static func unsetEnv(container: String?, names: [String]) -> Action {
        Action(UnsetEnv(container: container, names: names))
    }
}
