import Foundation
import MedicKube

/// `delete-pod`: let the controller replace one stuck pod. The target is the Pod itself or
/// the workload that owns it; the namespace is the target's either way.
public struct DeletePod: ActionDescriptor {
    public let name: String

    public static var kind: ActionKind { .deletePod }
    /// Nothing declared changes: a manifests repository has no line for it.
    public static var changesManifests: Bool { false }
    public static let parameters = [ActionParameter("pod", required: true)]
    /// The target is re-read before acting (the pod, or the workload it was proposed on).
    public static let permissions = APIPermission.on([.pod] + TargetKind.workloads, "get") + [APIPermission("delete", "", "pods")]
    public static let example = DeletePod(name: "web")

    /// Aimed at the pod itself, whatever the finding's target was.
    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        let pod = try values.string("pod")
        return try .validated(ObjectRef(kind: "Pod", namespace: target.namespace, name: pod), .deletePod(name: pod))
    }

    /// A deleted pod is gone; its controller makes a new one.
    public var reversal: Reversal { .irreversible }

    public func liveObject(of target: ObjectRef) -> ObjectRef {
        ObjectRef(kind: "Pod", namespace: target.namespace, name: name)
    }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([.pod] + TargetKind.workloads)
        try validator.dnsSubdomain(name, "pod name")
        if validator.target.targetKind == .pod, name != validator.target.name {
            throw validator.refuse("the pod to delete, \(validator.quoted(name)), is not the target pod")
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["delete", "pod", name]
    }

    /// kubectl sends its DeleteOptions as the body, with the default background cascade, and
    /// puts a server dry run there too rather than in the query. The body is Go's struct
    /// encoding (field order, not sorted, and a trailing newline from its stream encoder), so
    /// it is written out literally.
    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
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

extension ActionKind {
    public static let deletePod = ActionKind("delete-pod")
}

extension Action {
    public static func deletePod(name: String) -> Action { Action(DeletePod(name: name)) }
}
