import MedicKube

/// The closed vocabulary of changes medic may propose. Nothing else mutates a cluster, so
/// policy, audit and review only ever have these twelve shapes to reason about.
public enum Action: Sendable, Hashable {
    /// New pods from the same template (`kubectl rollout restart`).
    case rolloutRestart
    /// Set variables on `container`, or on every container when nil.
    case setEnv(container: String?, variables: [EnvAssignment])
    /// Remove variables from `container`, or from every container when nil.
    case unsetEnv(container: String?, names: [String])
    case setImage(container: String, image: String)
    /// Back to the previous revision, or to `toRevision`.
    case rolloutUndo(toRevision: Int?)
    /// Quantities such as `"memory": "128Mi"`; keys not named keep their live values.
    case setResources(container: String?, limits: [String: String], requests: [String: String])
    case patchProbe(container: String, probe: ProbeKind, handler: ProbeHandler, port: Int)
    /// On a Service: set these selector keys, delete those.
    case patchSelector(selector: [String: String], remove: [String])
    /// On a Service: set `spec.ports[index].targetPort` to `to`, only if it is still `from`
    /// (a JSON Patch `test` op checks it). A runbook names the port; the builder resolves it.
    case patchServicePort(index: Int, from: IntOrString, to: IntOrString)
    case scale(replicas: Int)
    case deletePod(name: String)
    /// Tell a human; changes nothing. Used when medic cannot fix a finding safely.
    case notify(message: String)

    public var kind: ActionKind {
        switch self {
        case .rolloutRestart: .rolloutRestart
        case .setEnv: .setEnv
        case .unsetEnv: .unsetEnv
        case .setImage: .setImage
        case .rolloutUndo: .rolloutUndo
        case .setResources: .setResources
        case .patchProbe: .patchProbe
        case .patchSelector: .patchSelector
        case .patchServicePort: .patchServicePort
        case .scale: .scale
        case .deletePod: .deletePod
        case .notify: .notify
        }
    }

    /// The action's id in runbooks, policies, audit lines and `advise` output.
    public var type: String { kind.rawValue }

    /// False only for `notify`: advise mode and policy rely on this to know what writes.
    public var isMutating: Bool {
        if case .notify = self { return false }
        return true
    }

    /// The registry: which file renders which action. nil for `notify`, which renders nothing.
    var renderer: (any ActionRendering)? {
        switch self {
        case .rolloutRestart: RolloutRestart()
        case let .setEnv(container, variables): SetEnv(container: container, variables: variables)
        case let .unsetEnv(container, names): UnsetEnv(container: container, names: names)
        case let .setImage(container, image): SetImage(container: container, image: image)
        case let .rolloutUndo(toRevision): RolloutUndo(toRevision: toRevision)
        case let .setResources(container, limits, requests): SetResources(container: container, limits: limits, requests: requests)
        case let .patchProbe(container, probe, handler, port): PatchProbe(container: container, probe: probe, handler: handler, port: port)
        case let .patchSelector(selector, remove): PatchSelector(selector: selector, remove: remove)
        case let .patchServicePort(index, from, to): PatchServicePort(index: index, from: from, to: to)
        case let .scale(replicas): Scale(replicas: replicas)
        case let .deletePod(name): DeletePod(name: name)
        case .notify: nil
        }
    }
}

/// The names of the twelve actions, as runbooks and policies spell them. The raw values are
/// part of medic's interface.
public enum ActionKind: String, Sendable, CaseIterable {
    case rolloutRestart = "rollout-restart"
    case setEnv = "set-env"
    case unsetEnv = "unset-env"
    case setImage = "set-image"
    case rolloutUndo = "rollout-undo"
    case setResources = "set-resources"
    case patchProbe = "patch-probe"
    case patchSelector = "patch-selector"
    case patchServicePort = "patch-service-port"
    case scale
    case deletePod = "delete-pod"
    case notify
}
