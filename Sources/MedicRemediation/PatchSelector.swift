import MedicKube

/// `patch-selector`: make a Service select the pods it was meant for. A JSON merge patch,
/// where `null` deletes a key, so stale keys can be dropped in the same request.
struct PatchSelector: ActionRendering {
    let selector: [String: String]
    let remove: [String]

    func validate(_ validator: Validator) throws(RemediationError) {
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

    func arguments(for target: ObjectRef) -> [String] {
        ["patch", target.kubectlType, target.name, "--type=merge", "-p", patch.text]
    }

    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: TargetKind.service.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-patch"),
            contentType: ContentType.mergePatch,
            body: patch.serialized()
        )
    }
}
