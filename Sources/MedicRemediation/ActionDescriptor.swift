import MedicKube

/// Everything medic knows about one action, in the action's own file: its parameters and how a
/// runbook's `remediate` values become them, its kubectl rendering, its API request, what a
/// rollback puts back, which of its values a policy caps, the RBAC it needs, and the live
/// object it aims at. Runbook loading, lint, the policy gate, the executor, rollback, `medic
/// test` and the RBAC test all read it, so adding an action is one file (plus its line in
/// `Action.registry`) and its test.
///
/// A conforming value is one instance of the action: its parameters.
public protocol ActionDescriptor: Sendable, Hashable {
    /// Its id in runbooks, policies, audit lines and `advise` output.
    static var kind: ActionKind { get }
    /// False only for `notify`: advise mode and the policy rely on this to know what writes.
    static var isMutating: Bool { get }
    /// False for actions that change no declared field (a restart, a pod deletion, `notify`):
    /// they have no equivalent in a manifests repository, so a GitOps patch skips them.
    static var changesManifests: Bool { get }
    /// False for an action whose success is the server's answer itself (`suspend-sync`): it is
    /// settled by its outcome, never checked against its finding later nor rolled back.
    static var isVerified: Bool { get }
    /// Why a runbook may not name it, for an action medic proposes itself (`suspend-sync`):
    /// such a runbook fails to load with this text. nil for the others.
    static var runbookRefusal: String? { get }
    /// The parameters a runbook's `remediate` entry gives it, checked when the runbook loads.
    static var parameters: [ActionParameter] { get }
    /// What a runbook must give beyond each parameter's own `required` (`set-resources`: limits
    /// or requests), as the sentence `medic lint` prints; nil when `given` is enough.
    static func missingParameters(given: Set<String>) -> String?
    /// The runbook parameter that holds the variable names a policy's `envNames` filters
    /// (`env` for `set-env`, `names` for `unset-env`); nil when the action sets no variables.
    static var envNamesParameter: String? { get }
    /// The API permissions its requests, its re-read of the target and its rollback need.
    static var permissions: [APIPermission] { get }
    /// One instance, for the RBAC test and the docs.
    static var example: Self { get }

    /// The remediation a runbook's values ask for on `target`, for one finding. Throws when a
    /// value is missing or not definite: medic never guesses one.
    static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation

    /// Refuses parameters and targets the renderings cannot carry safely.
    func validate(_ validator: Validator) throws(RemediationError)
    /// kubectl's arguments after `kubectl -n NAMESPACE` (unused when not mutating).
    func arguments(for target: ObjectRef) -> [String]
    /// The request with the command's effect, or nil when kubectl would send nothing because
    /// nothing would change. `current` is the live pod template, for actions whose body is a diff.
    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest?
    /// What the act stage keeps before sending it, so a rollback can put it back.
    var reversal: Reversal { get }
    /// The action with its values held to the policy's caps (a smaller step, or refusals
    /// recorded in `caps`). Most actions have nothing to cap.
    func capped(by caps: inout some ActionCapping) -> Self
    /// The variable names it sets or removes, for a policy's `envNames`.
    var envNames: [String]? { get }
    /// The container whose live values a cap compares with; nil: the first (or only) one.
    var containerName: String? { get }
    /// The object it changes, given the finding's target: what opt-out labels, caps and
    /// verification are read from (the pod itself for `delete-pod` on a workload).
    func liveObject(of target: ObjectRef) -> ObjectRef
}

extension ActionDescriptor {
    public static var isMutating: Bool { true }
    public static var changesManifests: Bool { isMutating }
    public static var isVerified: Bool { isMutating }
    public static var runbookRefusal: String? { nil }
    public static var envNamesParameter: String? { nil }
    public static func missingParameters(given: Set<String>) -> String? { nil }
    public func capped(by caps: inout some ActionCapping) -> Self { self }
    public var envNames: [String]? { nil }
    public var containerName: String? { nil }
    public func liveObject(of target: ObjectRef) -> ObjectRef { target }
}

/// What a rollback does for an action.
public enum Reversal: Sendable, Equatable {
    /// Put back the value at `pointer` (a JSON Pointer into the object). `test` is the value
    /// the action wrote, for actions that guard their own change with a JSON Patch `test` op:
    /// the rollback tests it too, so it never overwrites a later human edit.
    case restore(pointer: String, test: JSON?)
    /// Put back `field` (`env`, `resources`, `image`, `livenessProbe`) of the container the
    /// action changes (`containerName`) in the pod template, as it was: only what the action
    /// touches is recorded, never the rest of the template. The act stage resolves it to a
    /// pointer against the live object: `/spec/template/spec/containers/N/field`, or the whole
    /// containers list when the action changes every container of several.
    case restoreContainerField(String)
    /// The change cannot be put back (a deleted pod is gone).
    case irreversible
    /// The action changes nothing (`notify`).
    case nothingChanged

    /// Whether a rollback puts something back, so the action needs a before-state to be sent.
    public var restores: Bool {
        switch self {
        case .restore, .restoreContainerField: true
        case .irreversible, .nothingChanged: false
        }
    }
}

/// One API permission, as an RBAC rule grants it: `patch apps/deployments/scale`.
public struct APIPermission: Sendable, Hashable, CustomStringConvertible {
    public var verb: String
    /// "" for the core group.
    public var group: String
    /// The plural resource, with `/subresource` when there is one.
    public var resource: String

    public init(_ verb: String, _ group: String, _ resource: String) {
        self.verb = verb
        self.group = group
        self.resource = resource
    }

    public var description: String { "\(verb) \(group.isEmpty ? "" : group + "/")\(resource)" }

    /// `verbs` on each of `kinds`' resources.
    static func on(_ kinds: [TargetKind], _ verbs: String...) -> [APIPermission] {
        kinds.flatMap { kind in verbs.map { APIPermission($0, kind.group, kind.resource) } }
    }
}

/// The limits a policy puts on an action's values. MedicPolicy's caps implement it; it lives
/// here so each action says which of its values are capped without depending on the policy.
/// Each method returns the value to send and records, inside the implementation, what it
/// rewrote or refused.
public protocol ActionCapping {
    mutating func replicas(_ wanted: Int) -> Int
    mutating func memoryLimits(_ values: [String: String]) -> [String: String]
    mutating func memoryRequests(_ values: [String: String]) -> [String: String]
    mutating func environment(_ variable: EnvAssignment) -> EnvAssignment
}
