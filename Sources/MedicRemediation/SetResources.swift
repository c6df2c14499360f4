import MedicKube

/// `set-resources`: change limits/requests of one container (or all), e.g. raise a memory
/// limit after OOMKills. Keys not named are kept (maps merge key by key).
public struct SetResources: ActionDescriptor {
    public let container: String?
    public let limits: [String: String]
    public let requests: [String: String]

    public static var kind: ActionKind { .setResources }
    public static let parameters = [ActionParameter("container", required: false), ActionParameter("limits", .map, required: false),
                                    ActionParameter("requests", .map, required: false)]
    public static func missingParameters(given: Set<String>) -> String? {
        given.isDisjoint(with: ["limits", "requests"]) ? "set-resources needs 'limits' or 'requests'" : nil
    }

    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch")
    public static let example = SetResources(container: "app", limits: ["memory": "256Mi"], requests: [:])

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .setResources(
            container: try values.optionalString("container"),
            limits: Dictionary(try values.optionalMap("limits"), uniquingKeysWith: { _, b in b }),
            requests: Dictionary(try values.optionalMap("requests"), uniquingKeysWith: { _, b in b })))
    }

    public var reversal: Reversal { .restoreContainerField("resources") }
    public var containerName: String? { container }

    /// Memory limits and requests are held to the policy's maximum.
    public func capped(by caps: inout some ActionCapping) -> SetResources {
        let limits = caps.memoryLimits(limits)
        return SetResources(container: container, limits: limits, requests: caps.memoryRequests(requests))
    }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        if let container { try validator.dnsLabel(container, "container name") }
        if limits.isEmpty, requests.isEmpty {
            throw validator.refuse("no limits or requests to set")
        }
        for (list, values) in [("limits", limits), ("requests", requests)] {
            for (resource, quantity) in values {
                try Self.checkResourceName(resource, in: list, validator)
                guard Quantity.canonical(quantity) != nil else {
                    throw validator.refuse("\(list).\(resource) = \(validator.quoted(quantity)) is not a quantity medic can render: write a whole number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 128Mi or 500m")
                }
            }
        }
    }

    /// Resource names travel inside `--limits=name=q,name=q`, so "," and "=" would change the list.
    private static func checkResourceName(_ name: String, in list: String, _ validator: Validator) throws(RemediationError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/".unicodeScalars)
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(allowed.contains), !name.hasPrefix("-") else {
            throw validator.refuse("resource name \(validator.quoted(name)) in \(list) is not valid: use letters, digits, \"-\", \".\", \"_\" and \"/\" (e.g. memory, cpu, nvidia.com/gpu)")
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        var arguments = ["set", "resources", target.kubectlTypeAndName]
        if let container { arguments += ["-c", container] }
        if !limits.isEmpty { arguments.append("--limits=\(Self.list(limits))") }
        if !requests.isEmpty { arguments.append("--requests=\(Self.list(requests))") }
        return arguments
    }

    /// `cpu=500m,memory=128Mi`: sorted so the same action always prints the same command.
    private static func list(_ values: [String: String]) -> String {
        values.keys.sorted(by: JSON.goOrder).map { "\($0)=\(values[$0]!)" }.joined(separator: ",")
    }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "set-resources", target: target, container: container, current: current, options: options) { live in
            var resources: [String: JSON] = [:]
            if let changed = Self.changes(from: live.limits, to: limits) { resources["limits"] = changed }
            if let changed = Self.changes(from: live.requests, to: requests) { resources["requests"] = changed }
            return resources.isEmpty ? [:] : ["resources": .object(resources)]
        }
    }

    /// The keys whose canonical quantity differs from the live one, with the canonical value
    /// kubectl sends.
    private static func changes(from live: [String: String], to wanted: [String: String]) -> JSON? {
        var changed: [String: JSON] = [:]
        for (resource, quantity) in wanted {
            let canonical = Quantity.canonical(quantity) ?? quantity
            let current = live[resource].map { Quantity.canonical($0) ?? $0 }
            if current != canonical { changed[resource] = .string(canonical) }
        }
        return changed.isEmpty ? nil : .object(changed)
    }
}

extension ActionKind {
    public static let setResources = ActionKind("set-resources")
}

extension Action {
    /// Quantities such as `"memory": "128Mi"`; keys not named keep their live values.
    public static func setResources(container: String?, limits: [String: String], requests: [String: String]) -> Action {
        Action(SetResources(container: container, limits: limits, requests: requests))
    }
}
