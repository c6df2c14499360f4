import MedicKube

/// `suspend-sync`: stop Argo CD or Flux reverting live changes to what it owns, so a fix made
/// live stays until its twin lands in Git. Flux: `spec.suspend: true` on the Kustomization or
/// HelmRelease; Argo CD: the application's automated sync removed. medic proposes it itself,
/// before a fix to an owned object under the policy's `gitops: suspend`; runbooks cannot ask
/// for it, and medic never resumes the sync: that is the human's step once Git has the fix.
public struct SuspendSync: ActionDescriptor {
    public let syncer: GitOpsOwner.Syncer

    public static var kind: ActionKind { .suspendSync }
    public static let parameters: [ActionParameter] = []
    /// Its success is the server's answer: the object reads suspended. Nothing later checks a
    /// finding against it, and it is never rolled back (resuming would revert the fix).
    public static var isVerified: Bool { false }
    public static var changesManifests: Bool { false }
    public static let runbookRefusal: String? = "suspend-sync is not for runbooks: medic proposes it itself before a fix to an object Argo CD or Flux owns, when the policy says gitops: suspend"
    public static let permissions = APIPermission.on(TargetKind.syncers, "get", "patch")
    public static let example = SuspendSync(syncer: .fluxKustomization)

    /// Never reached: a runbook naming it does not load (`runbookRefusal`).
    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        throw ActionBuildError(runbookRefusal!)
    }


    public var reversal: Reversal {
        switch syncer {
        case .argoCDApplication: .restore(pointer: "/spec/syncPolicy/automated", test: nil)
        case .fluxKustomization, .fluxHelmRelease: .restore(pointer: "/spec/suspend", test: nil)
        }
    }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([TargetKind(rawValue: syncer.rawValue)!])
    }

    /// Flux: `{"spec":{"suspend":true}}` as a merge patch (what `flux suspend` sets). Argo CD:
    /// a JSON Patch removing `/spec/syncPolicy/automated`, which fails rather than guesses when
    /// automated sync is already off.
    var patch: (type: String, contentType: String, body: JSON) {
        switch syncer {
        case .argoCDApplication:
            ("json", ContentType.jsonPatch, .array([.object(["op": "remove", "path": "/spec/syncPolicy/automated"])]))
        case .fluxKustomization, .fluxHelmRelease:
            ("merge", ContentType.mergePatch, .object(["spec": .object(["suspend": true])]))
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["patch", target.kubectlTypeAndName, "--type=\(patch.type)", "-p", patch.body.text]
    }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-patch"),
            contentType: patch.contentType,
            body: patch.body.serialized()
        )
    }
}

extension ActionKind {
    public static let suspendSync = ActionKind("suspend-sync")
}

extension Action {
    /// On the Argo CD Application or Flux Kustomization / HelmRelease that syncs a target.
    public static func suspendSync(_ syncer: GitOpsOwner.Syncer) -> Action { Action(SuspendSync(syncer: syncer)) }
}
