import Foundation
import MedicKube

/// `delete-pod`: let the controller replace one stuck pod. The target is the Pod itself or
/// the workload that owns it; the namespace is the target's either way.
struct DeletePod: ActionRendering {
    let name: String

    func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([.pod] + TargetKind.workloads)
        try validator.dnsSubdomain(name, "pod name")
        if validator.target.targetKind == .pod, name != validator.target.name {
            throw validator.refuse("the pod to delete, \(validator.quoted(name)), is not the target pod")
        }
    }

    func arguments(for target: ObjectRef) -> [String] {
        ["delete", "pod", name]
    }

    /// kubectl sends its DeleteOptions as the body, with the default background cascade, and
    /// puts a server dry run there too rather than in the query. The body is Go's struct
    /// encoding (field order, not sorted, and a trailing newline from its stream encoder), so
    /// it is written out literally.
    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        let body = options.dryRun
            ? "{\"propagationPolicy\":\"Background\",\"dryRun\":[\"All\"]}\n"
            : "{\"propagationPolicy\":\"Background\"}\n"
        return APIRequest(
            method: "DELETE",
            path: TargetKind.pod.path(namespace: target.namespace, name: name),
            query: [:],
            contentType: ContentType.json,
            body: Data(body.utf8)
        )
    }
}
