import MedicKube

/// One action with its parameters: the unit of medic's closed vocabulary of changes. Nothing
/// else mutates a cluster, so policy, audit and review only ever have the descriptors in
/// `registry` to reason about. Each is built with its static factory (`.scale(replicas: 3)`)
/// and read back with `as(_:)` (`action.as(Scale.self)?.replicas`).
public struct Action: Sendable, Hashable {
    /// Every action medic can take, one descriptor per file. Read this list to know them all.
    public static let registry: [any ActionDescriptor.Type] = [
        RolloutRestart.self,
        SetEnv.self,
        UnsetEnv.self,
        SetImage.self,
        RolloutUndo.self,
        SetResources.self,
        PatchProbe.self,
        PatchSelector.self,
        PatchServicePort.self,
        Scale.self,
        DeletePod.self,
        SuspendSync.self,
        Notify.self,
    ]

    public let descriptor: any ActionDescriptor

    public init(_ descriptor: some ActionDescriptor) {
        self.descriptor = descriptor
    }

    public var kind: ActionKind { Swift.type(of: descriptor).kind }

    /// The action's id in runbooks, policies, audit lines and `advise` output.
    public var type: String { kind.rawValue }

    public var isMutating: Bool { Swift.type(of: descriptor).isMutating }

    public var changesManifests: Bool { Swift.type(of: descriptor).changesManifests }

    public var isVerified: Bool { Swift.type(of: descriptor).isVerified }

    /// The parameters, when this is a `D`.
    public func `as`<D: ActionDescriptor>(_: D.Type) -> D? { descriptor as? D }

    /// The action with its values held to a policy's caps.
    public func capped(by caps: inout some ActionCapping) -> Action { descriptor.cappedAction(by: &caps) }

    public static func == (lhs: Action, rhs: Action) -> Bool {
        AnyHashable(lhs.descriptor) == AnyHashable(rhs.descriptor)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(AnyHashable(descriptor))
    }
}

extension ActionDescriptor {
    /// `capped(by:)` wrapped again, so `Action` can call it through its existential.
    fileprivate func cappedAction(by caps: inout some ActionCapping) -> Action { Action(capped(by: &caps)) }
}

/// An action's name, as runbooks and policies spell it (`set-env`): part of medic's interface.
/// Only the names of registered descriptors exist.
public struct ActionKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard Action.registry.contains(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// For a descriptor's own `kind`.
    init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Every action's name, in registry order.
    public static var allCases: [ActionKind] { Action.registry.map { $0.kind } }

    /// The descriptor of the action this names.
    public var descriptor: any ActionDescriptor.Type {
        Action.registry.first { $0.kind == self }!
    }

    public var description: String { rawValue }
}
