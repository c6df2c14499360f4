import MedicKube

/// `scale`: change the replica count, e.g. scale out a pinned workload. Caps are policy's job.
struct Scale: ActionRendering {
    let replicas: Int

    func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([.deployment, .statefulSet])
        if replicas < 0 {
            throw validator.refuse("replicas \(replicas) is negative")
        }
    }

    func arguments(for target: ObjectRef) -> [String] {
        ["scale", target.kubectlTypeAndName, "--replicas=\(replicas)"]
    }

    /// kubectl merge-patches the `scale` subresource and, unlike the other verbs, sends no
    /// field manager.
    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name, subresource: "scale"),
            query: options.query(fieldManager: nil),
            contentType: ContentType.mergePatch,
            body: JSON.object(["spec": .object(["replicas": .int(Int64(replicas))])]).serialized()
        )
    }
}
