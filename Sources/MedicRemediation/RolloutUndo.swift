import MedicKube

/// `rollout-undo`: go back to the previous (or a given) revision, e.g. after a bad image or a
/// config that dropped a required variable.
struct RolloutUndo: ActionRendering {
    let toRevision: Int?

    func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        if let toRevision, toRevision < 1 {
            throw validator.refuse("revision \(toRevision) does not exist; revisions start at 1 (leave it out for the previous one)")
        }
    }

    func arguments(for target: ObjectRef) -> [String] {
        ["rollout", "undo", target.kubectlTypeAndName] + (toRevision.map { ["--to-revision=\($0)"] } ?? [])
    }

    /// kubectl builds this JSON Patch from the chosen ReplicaSet's complete pod template, in Go
    /// field order with `pod-template-hash` removed, after lists and revision arithmetic medic
    /// does not reproduce yet. Refusing is more honest than sending a near miss.
    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        throw RemediationError(.notRenderable, "rollout-undo on \(target): kubectl builds this request from the previous ReplicaSet's full pod template, which medic does not reconstruct yet; run the kubectl command instead")
    }
}
