import Foundation
import MedicKube

/// `rollout-restart`: new pods from an unchanged template, by stamping an annotation on it.
/// Used to release leaked resources (connection pools) without changing the spec.
public struct RolloutRestart: ActionDescriptor {
    public static var kind: ActionKind { .rolloutRestart }
    /// Nothing declared changes: a manifests repository has no line for it.
    public static var changesManifests: Bool { false }
    public static let parameters: [ActionParameter] = []
    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch")
    public static let example = RolloutRestart()

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .rolloutRestart)
    }

    /// Only the annotation it stamps (absent before a first restart: the rollback removes it).
    public var reversal: Reversal { .restore(pointer: "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt", test: nil) }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["rollout", "restart", target.kubectlTypeAndName]
    }

    /// The annotation is the whole diff whatever the template holds, so no snapshot is needed.
    /// kubectl 1.32 offers no `--dry-run` here; the API accepts `dryRun=All` all the same.
    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        let stamp = Self.timestamp(options.now, in: options.timeZone)
        let body = JSON.object(["spec": .object(["template": .object(["metadata": .object([
            "annotations": .object(["kubectl.kubernetes.io/restartedAt": .string(stamp)]),
        ])])])])
        return APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-rollout"),
            contentType: ContentType.strategicMergePatch,
            body: body.serialized()
        )
    }

    /// Go's `time.RFC3339` in the given zone: "2026-11-22T01:25:08Z", "2026-11-22T02:31:42+01:00".
    static func timestamp(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssXXXXX"
        return formatter.string(from: date)
    }
}

extension ActionKind {
    public static let rolloutRestart = ActionKind("rollout-restart")
}

extension Action {
    public static let rolloutRestart = Action(RolloutRestart())
}
