import MedicKube

/// One action aimed at one object: the unit medic proposes, policy judges, the audit log
/// records and the act stage executes. It renders the same change two ways, as the kubectl
/// command a human can read and run, and as the API request medic sends itself.
public struct Remediation: Sendable, Hashable {
    public var target: ObjectRef
    public var action: Action

    public init(target: ObjectRef, action: Action) {
        self.target = target
        self.action = action
    }

    /// Refuses what cannot be rendered safely or that the API would reject anyway: empty or
    /// malformed names, values kubectl would read as flags or split differently, NUL bytes,
    /// and targets of the wrong kind. Call it before showing or sending anything.
    public func validate() throws(RemediationError) {
        let validator = Validator(actionType: action.type, target: target)
        try validator.checkTargetNames()
        try action.descriptor.validate(validator)
    }

    /// The command as argv, starting with "kubectl"; nil for `notify`. Rendered whether or
    /// not `validate()` passes, so that a refused proposal can still be shown for review.
    public var kubectlArguments: [String]? {
        guard action.isMutating else { return nil }
        return ["kubectl", "-n", target.namespace] + action.descriptor.arguments(for: target)
    }

    /// The command to show a person or record: secret values masked (see `Redaction`), with a
    /// note saying so, since the real value must be put back before it is run. The API request
    /// still carries the real value.
    public var redactedCommand: String? {
        kubectlCommand.map { command in
            let redacted = Redaction.redact(command)
            return redacted == command ? command
                : "\(redacted)  # \(Redaction.mask) stands for a secret value: put the real one back before running"
        }
    }

    /// `kubectlArguments` quoted for a POSIX shell, ready to paste.
    public var kubectlCommand: String? {
        kubectlArguments.map(ShellQuoting.command)
    }

    /// The object the action changes: what opt-out labels, caps and verification are read
    /// from. The target itself, except for `delete-pod` aimed at a workload: its pod.
    public var liveObject: ObjectRef { action.descriptor.liveObject(of: target) }

    /// The API request for actions whose body does not depend on the live object (all but
    /// the `set-*` actions and `rollout-undo`, which throw `needsCurrentState`: use
    /// `apiRequest(current:options:)` for the `set-*` ones).
    public func apiRequest(dryRun: Bool = false) throws(RemediationError) -> APIRequest {
        try apiRequest(RequestOptions(dryRun: dryRun))
    }

    /// As `apiRequest(dryRun:)`, with the clock and zone `rollout-restart` stamps pinned.
    public func apiRequest(_ options: RequestOptions) throws(RemediationError) -> APIRequest {
        guard let request = try render(current: nil, options: options) else {
            throw RemediationError(.needsCurrentState, "\(action.type) on \(target): the request depends on the live object; use apiRequest(current:)")
        }
        return request
    }

    /// The API request given the live pod template, which the `set-*` actions diff against
    /// exactly as kubectl does. nil means the change is already in place: kubectl would send
    /// nothing, and neither should medic. Other actions ignore `current`.
    public func apiRequest(current: PodTemplateSnapshot, options: RequestOptions = RequestOptions()) throws(RemediationError) -> APIRequest? {
        try render(current: current, options: options)
    }

    /// The request given the whole live object (and, for a rollback, the namespace's
    /// ReplicaSets): what the act stage sends and what a GitOps patch is derived from.
    public func apiRequest(live object: JSON, replicaSets: [JSON], options: RequestOptions) throws(RemediationError) -> APIRequest? {
        if action.kind == .rolloutUndo {
            return try rolloutUndoRequest(deployment: object, replicaSets: replicaSets, options: options)
        }
        guard let template = try? PodTemplateSnapshot(workloadJSON: object.serialized()) else { return try apiRequest(options) }
        return try apiRequest(current: template, options: options)
    }

    private func render(current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try validate()
        return try action.descriptor.request(for: target, current: current, options: options)
    }
}
