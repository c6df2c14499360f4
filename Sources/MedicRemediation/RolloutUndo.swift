import MedicKube

/// `rollout-undo`: go back to the previous (or a given) revision, e.g. after a bad image or a
/// config that dropped a required variable.
public struct RolloutUndo: ActionDescriptor {
    public let toRevision: Int?

    public static var kind: ActionKind { .rolloutUndo }
    public static let parameters = [ActionParameter("toRevision", required: false)]
    /// Besides the workload, the ReplicaSets its revisions are read from.
    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch") + [APIPermission("list", "apps", "replicasets")]
    public static let example = RolloutUndo(toRevision: nil)

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .rolloutUndo(toRevision: try values.optionalInt("toRevision")))
    }

    public var reversal: Reversal { .restore(pointer: "/spec/template", test: nil) }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        if let toRevision, toRevision < 1 {
            throw validator.refuse("revision \(toRevision) does not exist; revisions start at 1 (leave it out for the previous one)")
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["rollout", "undo", target.kubectlTypeAndName] + (toRevision.map { ["--to-revision=\($0)"] } ?? [])
    }

    /// The request depends on the Deployment's ReplicaSets, not just its pod template: see
    /// `Remediation.rolloutUndoRequest(deployment:replicaSets:options:)`.
    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        throw RemediationError(.needsCurrentState, "rollout-undo on \(target): the request is built from the Deployment's ReplicaSets; use rolloutUndoRequest(deployment:replicaSets:)")
    }

    /// Annotations kubectl never copies from a ReplicaSet onto the Deployment it rolls back;
    /// the Deployment keeps its own values for these.
    static let annotationsToSkip: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
        "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ]
}

extension Remediation {
    /// kubectl's rollback, reproduced from its algorithm: the target revision is `toRevision`,
    /// or the second-newest among the Deployment's ReplicaSets; its pod template (without the
    /// `pod-template-hash` label) replaces the Deployment's, and the ReplicaSet's annotations
    /// (but for revision bookkeeping) replace the Deployment's, in one JSON Patch. nil when the
    /// Deployment already runs that template (kubectl: "skipped rollback"). The body has the
    /// same content as kubectl's; its keys are sorted where kubectl keeps Go's struct order.
    public func rolloutUndoRequest(deployment: JSON, replicaSets: [JSON],
                                   options: RequestOptions = RequestOptions()) throws(RemediationError) -> APIRequest? {
        try validate()
        guard let undo = action.as(RolloutUndo.self) else {
            throw RemediationError(.invalidParameter, "\(action.type) is not rollout-undo")
        }
        if deployment["spec"]?["paused"] == .bool(true) {
            throw RemediationError(.invalidParameter, "\(target) is paused; resume it (kubectl rollout resume) before a rollback")
        }
        let uid = deployment["metadata"]?["uid"]?.string
        var templates: [Int: JSON] = [:]
        var annotationsByRevision: [Int: [String: JSON]] = [:]
        for replicaSet in replicaSets {
            let owners = replicaSet["metadata"]?["ownerReferences"]?.array ?? []
            guard owners.contains(where: { $0["controller"] == .bool(true) && $0["uid"]?.string == uid }),
                  let revisionText = replicaSet["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]?.string,
                  let revision = Int(revisionText), let template = replicaSet["spec"]?["template"]
            else { continue }
            templates[revision] = template
            annotationsByRevision[revision] = replicaSet["metadata"]?["annotations"]?.object ?? [:]
        }
        let revisions = templates.keys.sorted()
        let chosen: Int
        if let toRevision = undo.toRevision {
            guard templates[toRevision] != nil else {
                throw RemediationError(.invalidParameter, "\(target) has no revision \(toRevision) in its history")
            }
            chosen = toRevision
        } else {
            guard revisions.count >= 2 else {
                throw RemediationError(.invalidParameter, "\(target) has no earlier revision to roll back to")
            }
            chosen = revisions[revisions.count - 2]
        }
        let template = Self.withoutHashLabel(templates[chosen]!)
        if template == Self.withoutHashLabel(deployment["spec"]?["template"] ?? .null) { return nil }

        var annotations: [String: JSON] = [:]
        let current = deployment["metadata"]?["annotations"]?.object ?? [:]
        for key in RolloutUndo.annotationsToSkip { if let value = current[key] { annotations[key] = value } }
        for (key, value) in annotationsByRevision[chosen] ?? [:] where !RolloutUndo.annotationsToSkip.contains(key) {
            annotations[key] = value
        }
        let patch: JSON = .array([
            .object(["op": .string("replace"), "path": .string("/spec/template"), "value": template]),
            .object(["op": .string("replace"), "path": .string("/metadata/annotations"), "value": .object(annotations)]),
        ])
        return APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: nil),
            contentType: ContentType.jsonPatch,
            body: patch.serialized()
        )
    }

    private static func withoutHashLabel(_ template: JSON) -> JSON {
        var template = template
        if var metadata = template["metadata"], var labels = metadata["labels"]?.object {
            labels["pod-template-hash"] = nil
            metadata["labels"] = .object(labels)
            template["metadata"] = metadata
        }
        return template
    }
}

extension ActionKind {
    public static let rolloutUndo = ActionKind("rollout-undo")
}

extension Action {
    /// Back to the previous revision, or to `toRevision`.
    public static func rolloutUndo(toRevision: Int?) -> Action { Action(RolloutUndo(toRevision: toRevision)) }
}
