import Foundation
import MedicKube

/// Everything the gate needs besides the remediation, gathered by the caller so that deciding
/// stays pure: the same inputs always give the same decision.
public struct DecisionContext: Sendable {
    public var now: Date
    /// The target object's labels and annotations (opt-out).
    public var target: ObjectLabels
    /// The target's namespace's labels and annotations (opt-out, chaos).
    public var namespace: ObjectLabels
    /// Live values the caps compare against.
    public var current: CurrentState
    public var history: ActionHistory
    /// Under `gitops: suspend`, whether the Argo CD or Flux object that syncs an owned target
    /// still reverts live changes, as read this pass; nil when nobody read it.
    public var sync: SyncState?

    public init(now: Date, target: ObjectLabels = ObjectLabels(), namespace: ObjectLabels = ObjectLabels(),
                current: CurrentState = CurrentState(), history: ActionHistory = ActionHistory(), sync: SyncState? = nil) {
        self.now = now
        self.target = target
        self.namespace = namespace
        self.current = current
        self.history = history
        self.sync = sync
    }
}

/// The sync of the object that owns a target, read from the API server.
public enum SyncState: Sendable, Equatable {
    /// It no longer reverts live changes (Flux `spec.suspend: true`, Argo CD without automated sync).
    case suspended
    /// It reverts live changes: this object is what `suspend-sync` would change.
    case running(ObjectRef)
    /// It could not be read or understood: why.
    case unknown(String)
}

/// Labels and annotations of one object.
public struct ObjectLabels: Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.labels = labels
        self.annotations = annotations
    }

    public init(_ metadata: ObjectMeta) {
        self.init(labels: metadata.labels, annotations: metadata.annotations)
    }
}

/// The live state of the target that caps need. nil means unknown: a cap that needs it then
/// refuses rather than guesses.
public struct CurrentState: Sendable, Equatable {
    public var replicas: Int?
    /// The memory limit of the container the action changes, as a quantity (`"256Mi"`).
    public var memoryLimit: String?
    /// The env of the container the action changes.
    public var env: [String: String]

    public init(replicas: Int? = nil, memoryLimit: String? = nil, env: [String: String] = [:]) {
        self.replicas = replicas
        self.memoryLimit = memoryLimit
        self.env = env
    }
}
