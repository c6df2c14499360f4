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
        guard let renderer = action.renderer else {
            guard case let .notify(message) = action else { return }
            try validator.nonEmpty(message, "notify message")
            try validator.argumentValue(message, "notify message")
            return
        }
        try renderer.validate(validator)
    }

    /// The command as argv, starting with "kubectl"; nil for `notify`. Rendered whether or
    /// not `validate()` passes, so that a refused proposal can still be shown for review.
    public var kubectlArguments: [String]? {
        action.renderer.map { ["kubectl", "-n", target.namespace] + $0.arguments(for: target) }
    }

    /// `kubectlArguments` quoted for a POSIX shell, ready to paste.
    public var kubectlCommand: String? {
        kubectlArguments.map(ShellQuoting.command)
    }

    /// The API request for actions whose body does not depend on the live object
    /// (`rollout-restart`, `patch-probe`, `patch-selector`, `patch-service-port`, `scale`,
    /// `delete-pod`). The `set-*` actions throw `needsCurrentState`: use
    /// `apiRequest(current:options:)` for them.
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

    private func render(current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try validate()
        guard let renderer = action.renderer else {
            throw RemediationError(.notRenderable, "notify on \(target) changes nothing, so there is no request to send")
        }
        return try renderer.request(for: target, current: current, options: options)
    }
}
