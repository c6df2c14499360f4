import Foundation
import MedicKube

/// Everything a platform team decides about what medic may do on its own: the mode, where it
/// may act, which actions, how often, when not at all, how far, and which objects to leave
/// alone. Loaded from `policies/*.yaml` (docs/policies.md); judged by `PolicyGate`.
public struct Policy: Sendable, Equatable {
    public var name: String
    public var mode: Mode
    public var namespaces: NamespaceScope
    public var actions: ActionRules
    public var globalRateLimit: RateLimit?
    public var targetRateLimit: RateLimit?
    /// Seconds after an action starts on a target before another may start on it.
    public var cooldown: Double?
    /// Actions in flight (started, no outcome yet) at once, across all targets.
    public var maxConcurrent: Int?
    /// How long an action without an outcome counts against `maxConcurrent` (it keeps blocking
    /// its own target until `medic audit resolve` records what happened).
    public var inFlightExpiry: Double = Policy.defaultInFlightExpiry
    public static let defaultInFlightExpiry: Double = 1800
    /// How long a settled action's Remediation object is kept after its latest record. Open
    /// ones (in flight, awaiting verification, escalated) are kept however old.
    public var remediationRetention: Double = Policy.defaultRemediationRetention
    public static let defaultRemediationRetention: Double = 7 * 86400
    public var freezes: [FreezeWindow]
    public var caps: Caps
    public var optOut: LabelMatch
    public var chaos: LabelMatch
    /// Services where requests enter (besides LoadBalancer and NodePort ones), for an
    /// incident's impact: `entrypoints: [shop/frontend]`.
    public var entryPoints: [ObjectRef] = []
    /// What medic does to an object Argo CD or Flux owns (`gitops:`).
    public var gitops: GitOpsMode = .propose
    /// Where Argo CD's Application objects live, for `gitops: suspend` (`gitops.argoCDNamespace`);
    /// an application in any other namespace is named `<namespace>_<name>` by its marks.
    public var argoCDNamespace = "argocd"
    /// Where findings, proposals, actions, verifications and escalations are posted.
    public var notifications: [NotificationTarget] = []

    public enum GitOpsMode: String, Sendable, CaseIterable {
        /// Never change it live: its sync would revert the change; the fix is proposed for Git.
        case propose
        /// Change it live like any other object (for applications whose sync does not self-heal).
        case live
        /// Suspend the owner's sync first (`suspend-sync`, where `actions:` allows it), then
        /// change it live; the fix still has to reach Git before the sync resumes.
        case suspend
    }

    public init(name: String, mode: Mode = .advise, namespaces: NamespaceScope = NamespaceScope(),
                actions: ActionRules = ActionRules(), globalRateLimit: RateLimit? = nil, targetRateLimit: RateLimit? = nil,
                cooldown: Double? = nil, maxConcurrent: Int? = nil, freezes: [FreezeWindow] = [], caps: Caps = Caps(),
                optOut: LabelMatch = .optOut, chaos: LabelMatch = .chaos) {
        self.name = name
        self.mode = mode
        self.namespaces = namespaces
        self.actions = actions
        self.globalRateLimit = globalRateLimit
        self.targetRateLimit = targetRateLimit
        self.cooldown = cooldown
        self.maxConcurrent = maxConcurrent
        self.freezes = freezes
        self.caps = caps
        self.optOut = optOut
        self.chaos = chaos
    }

    /// What a fresh install does without a policy file: advise only, every change needs a human.
    public static let builtIn = Policy(name: "built-in", actions: ActionRules(default: .needsApproval))

    /// The mode to run in: a `--mode` on the command line may lower the policy's mode, never
    /// raise it, so a policy set to `advise` cannot be talked into applying.
    public func effectiveMode(requested: Mode?) -> Mode {
        guard let requested else { return mode }
        return min(requested, mode)
    }
}
