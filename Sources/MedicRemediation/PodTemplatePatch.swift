import MedicKube

/// The strategic merge patch kubectl's `set env`, `set image` and `set resources` send. kubectl
/// changes its copy of the object and diffs before against after
/// (`strategicpatch.CreateTwoWayMergePatch`); for containers that diff is: every container
/// that changed, reduced to its name and changed fields, in template order, beside
/// `$setElementOrder/containers` listing all container names.
enum PodTemplatePatch {
    /// Builds the request for `selector`'s containers (nil: every container, like kubectl's
    /// default `-c '*'`), or nil when `diff` finds nothing to change.
    static func request(
        actionType: String,
        target: ObjectRef,
        container selector: String?,
        current: PodTemplateSnapshot?,
        options: RequestOptions,
        diff: (PodTemplateSnapshot.Container) -> [String: JSON]
    ) throws(RemediationError) -> APIRequest? {
        guard let current else {
            throw RemediationError(.needsCurrentState, "\(actionType) on \(target): kubectl computes this patch from the live pod template; call apiRequest(current:) with a snapshot of \(target.kubectlTypeAndName)")
        }
        if let selector, !current.containers.contains(where: { $0.name == selector }) {
            let names = current.containers.map(\.name).joined(separator: ", ")
            throw RemediationError(.containerNotFound, "\(actionType) on \(target): no container named \(String(reflecting: selector)); the pod template has \(names.isEmpty ? "no containers" : names)")
        }
        let changed: [JSON] = current.containers.compactMap { container in
            guard selector == nil || selector == container.name else { return nil }
            var fields = diff(container)
            guard !fields.isEmpty else { return nil }
            fields["name"] = .string(container.name)
            return .object(fields)
        }
        guard !changed.isEmpty, let kind = target.targetKind else { return nil }
        let order = current.containers.map { JSON.object(["name": .string($0.name)]) }
        let body = JSON.object(["spec": .object(["template": .object(["spec": .object([
            "$setElementOrder/containers": .array(order),
            "containers": .array(changed),
        ])])])])
        return APIRequest(
            method: "PATCH",
            path: kind.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-set"),
            contentType: ContentType.strategicMergePatch,
            body: body.serialized()
        )
    }
}
