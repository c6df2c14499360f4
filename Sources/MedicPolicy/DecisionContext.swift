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

    public init(now: Date, target: ObjectLabels = ObjectLabels(), namespace: ObjectLabels = ObjectLabels(),
                current: CurrentState = CurrentState(), history: ActionHistory = ActionHistory()) {
        self.now = now
        self.target = target
        self.namespace = namespace
        self.current = current
        self.history = history
    }
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
