import MedicKube

/// `scale`: change the replica count, e.g. scale out a pinned workload. Caps are policy's job.
public struct Scale: ActionDescriptor {
    public let replicas: Int

    public static var kind: ActionKind { .scale }
    public static let parameters = [ActionParameter("replicas", required: true)]
    /// `patch` on the workload itself is for the rollback, which restores `/spec/replicas`.
    public static let permissions = APIPermission.on([.deployment, .statefulSet], "get", "patch")
        + [TargetKind.deployment, .statefulSet].map { APIPermission("patch", $0.group, $0.resource + "/scale") }
    public static let example = Scale(replicas: 3)

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        let replicas = try values.int("replicas")
        guard replicas >= 0 else { throw ActionBuildError("replicas is \(replicas)") }
        return try .validated(target, .scale(replicas: replicas))
    }

    public var reversal: Reversal { .restore(pointer: "/spec/replicas", test: nil) }

    /// The replica count is held to the policy's maximum and scale factor.
    public func capped(by caps: inout some ActionCapping) -> Scale {
        Scale(replicas: caps.replicas(replicas))
    }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([.deployment, .statefulSet])
        if replicas < 0 {
            throw validator.refuse("replicas \(replicas) is negative")
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["scale", target.kubectlTypeAndName, "--replicas=\(replicas)"]
    }

    /// kubectl merge-patches the `scale` subresource and, unlike the other verbs, sends no
    /// field manager.
    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name, subresource: "scale"),
            query: options.query(fieldManager: nil),
            contentType: ContentType.mergePatch,
            body: JSON.object(["spec": .object(["replicas": .int(Int64(replicas))])]).serialized()
        )
    }
}

extension ActionKind {
    public static let scale = ActionKind("scale")
}

extension Action {
    public static func scale(replicas: Int) -> Action { Action(Scale(replicas: replicas)) }
}
