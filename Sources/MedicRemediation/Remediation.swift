import Crypto
import Foundation
import MedicKube

/// One action aimed at one object: the unit medic proposes, policy judges, the audit log
/// records and the act stage executes. It renders the same change two ways, as the kubectl
/// command a human can read and run, and as the API request medic sends itself.
public struct Remediation: Sendable, Hashable {
    public var target: ObjectRef {
        didSet { commands = Commands(target: target, action: action) }
    }
    public var action: Action {
        didSet { commands = Commands(target: target, action: action) }
    }
    /// The command and its approval hash, rendered once per change of the target or action:
    /// `medic run` reads them for every finding in every pass (its identity, its approval, the
    /// log, the notifications), and rendering them each time was a twentieth of a pass at
    /// 10,000 pods.
    private var commands: Commands

    public init(target: ObjectRef, action: Action) {
        self.target = target
        self.action = action
        commands = Commands(target: target, action: action)
    }

    private struct Commands: Sendable {
        var kubectl: String?
        var redacted: String?
        var approval: [String]
        var approvalHash: String

        init(target: ObjectRef, action: Action) {
            if let arguments = Remediation.arguments(target: target, action: action) {
                let command = ShellQuoting.command(arguments)
                kubectl = command
                let redacted = Redaction.redact(command)
                self.redacted = redacted == command ? command
                    : "\(redacted)  # \(Redaction.mask) stands for a secret value: put the real one back before running"
            }
            approval = ["approval", target.kind, target.namespace, target.name, action.type,
                        action.as(Notify.self)?.message ?? kubectl ?? ""]
            approvalHash = Self.sha256(approval)
        }

        static func sha256(_ fields: [String]) -> String {
            // Hex by hand: a formatted string per byte was a tenth of a pass's decisions.
            let digits = Array("0123456789abcdef".utf8)
            var hex: [UInt8] = []
            hex.reserveCapacity(2 * SHA256.byteCount)
            for byte in SHA256.hash(data: Data(fields.joined(separator: "\u{0}").utf8)) {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0f)])
            }
            return String(decoding: hex, as: UTF8.self)
        }
    }

    /// Equal when the target and the action are: the commands follow from them.
    public static func == (a: Remediation, b: Remediation) -> Bool {
        a.target == b.target && a.action == b.action
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(target)
        hasher.combine(action)
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
    public var kubectlArguments: [String]? { Self.arguments(target: target, action: action) }

    private static func arguments(target: ObjectRef, action: Action) -> [String]? {
        guard action.isMutating else { return nil }
        return ["kubectl", "-n", target.namespace] + action.descriptor.arguments(for: target)
    }

    /// The command to show a person or record: secret values masked (see `Redaction`), with a
    /// note saying so, since the real value must be put back before it is run. The API request
    /// still carries the real value.
    public var redactedCommand: String? { commands.redacted }

    /// `kubectlArguments` quoted for a POSIX shell, ready to paste.
    public var kubectlCommand: String? { commands.kubectl }

    /// What a human approves: the SHA-256 (hex) of the object, the action and the exact command
    /// with its real values (not the masked one), so an approval given for one command is
    /// never spent on another, even when only a masked value differs.
    public var approvalHash: String { commands.approvalHash }

    /// The same, bound also to `request`, the API request the command becomes against the live
    /// object (`Executor.approvalRequest`): a `rollout undo` approved while revision 4 was the
    /// one before is not sent once a deploy made that revision 5.
    public func approvalHash(request: String?) -> String {
        guard let request else { return commands.approvalHash }
        return Commands.sha256(commands.approval + [request])
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
