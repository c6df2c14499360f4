import MedicKube

/// `patch-selector`: make a Service select the pods it was meant for. A JSON merge patch,
/// where `null` deletes a key, so stale keys can be dropped in the same request.
public struct PatchSelector: ActionDescriptor {
    public let selector: [String: String]
    public let remove: [String]

    public static var kind: ActionKind { .patchSelector }
    public static let parameters = [ActionParameter("selector", .templateOrMap, required: true)]
    public static let permissions = APIPermission.on([.service], "get", "patch")
    public static let example = PatchSelector(selector: ["app": "web"], remove: ["tier"])

    /// The keys of the Service's selector that the new one leaves out are removed.
    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        let selector = Dictionary(try values.map("selector"), uniquingKeysWith: { _, b in b })
        guard !selector.isEmpty else { throw ActionBuildError("the new selector is empty") }
        let remove = values.serviceSelectorKeys.filter { selector[$0] == nil }.sorted()
        return try .validated(target, .patchSelector(selector: selector, remove: remove))
    }

    public var reversal: Reversal { .restore(pointer: "/spec/selector", test: nil) }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([.service])
        if selector.isEmpty, remove.isEmpty {
            throw validator.refuse("no selector keys to set or remove")
        }
        for (key, value) in selector {
            try validator.labelKey(key)
            try validator.labelValue(value)
        }
        for key in remove {
            try validator.labelKey(key)
            if selector[key] != nil {
                throw validator.refuse("selector key \(validator.quoted(key)) is both set and removed")
            }
        }
    }

    /// `{"spec":{"selector":{"app":"gateway","old":null}}}`
    var patch: JSON {
        var fields = selector.mapValues(JSON.string)
        for key in remove { fields[key] = .null }
        return .object(["spec": .object(["selector": .object(fields)])])
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["patch", target.kubectlType, target.name, "--type=merge", "-p", patch.text]
    }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: TargetKind.service.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-patch"),
            contentType: ContentType.mergePatch,
            body: patch.serialized()
        )
    }
}

extension ActionKind {
    public static let patchSelector = ActionKind("patch-selector")
}

extension Action {
    /// On a Service: set these selector keys, delete those.
    public static func patchSelector(selector: [String: String], remove: [String]) -> Action {
        Action(PatchSelector(selector: selector, remove: remove))
    }
}
