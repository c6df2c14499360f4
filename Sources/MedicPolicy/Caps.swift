import MedicKube
import MedicRemediation

/// Upper bounds on how far one action may go, so a runbook that asks for "double the memory"
/// twice in a night cannot walk a workload to the size of the node.
public struct Caps: Sendable, Equatable {
    /// What happens to an action over a cap.
    public enum OnExceed: String, Sendable, CaseIterable {
        /// Rewrite the action to the cap (a smaller step in the right direction), unless the
        /// object is already at or above the cap, where the step would change nothing.
        case cap
        /// Refuse the action.
        case deny
    }

    public var maxReplicas: Int?
    /// A scale may at most multiply the current replica count by this (from 1 replica up).
    public var maxScaleFactor: Double?
    /// Memory limits and requests above this are capped; `text` is how the policy wrote it.
    public var maxMemoryLimit: (text: String, bytes: Int64)?
    public var maxPoolSize: Int?
    /// The env var names whose values are pool sizes; `set-env` of these is held to `maxPoolSize`.
    public var poolSizeEnv: [Glob]
    public var onExceed: OnExceed

    public init(maxReplicas: Int? = nil, maxScaleFactor: Double? = nil, maxMemoryLimit: (text: String, bytes: Int64)? = nil,
                maxPoolSize: Int? = nil, poolSizeEnv: [Glob] = [], onExceed: OnExceed = .cap) {
        self.maxReplicas = maxReplicas
        self.maxScaleFactor = maxScaleFactor
        self.maxMemoryLimit = maxMemoryLimit
        self.maxPoolSize = maxPoolSize
        self.poolSizeEnv = poolSizeEnv
        self.onExceed = onExceed
    }

    public static func == (lhs: Caps, rhs: Caps) -> Bool {
        lhs.maxReplicas == rhs.maxReplicas && lhs.maxScaleFactor == rhs.maxScaleFactor
            && lhs.maxMemoryLimit?.text == rhs.maxMemoryLimit?.text && lhs.maxMemoryLimit?.bytes == rhs.maxMemoryLimit?.bytes
            && lhs.maxPoolSize == rhs.maxPoolSize && lhs.poolSizeEnv == rhs.poolSizeEnv && lhs.onExceed == rhs.onExceed
    }

    /// The result of holding one action to the caps.
    struct Outcome {
        var action: Action
        /// What was rewritten, one sentence each.
        var rewrites: [String] = []
        /// Why the action cannot go ahead at all.
        var refusals: [String] = []
    }

    func apply(to action: Action, current: CurrentState) -> Outcome {
        switch action {
        case .scale(let replicas):
            return scale(replicas, current: current)
        case let .setResources(container, limits, requests):
            var outcome = Outcome(action: action)
            let newLimits = memory(limits, list: "limits", current: current, outcome: &outcome)
            let newRequests = memory(requests, list: "requests", current: nil, outcome: &outcome)
            outcome.action = .setResources(container: container, limits: newLimits, requests: newRequests)
            return outcome
        case let .setEnv(container, variables):
            var outcome = Outcome(action: action)
            let capped = variables.map { pool($0, current: current, outcome: &outcome) }
            outcome.action = .setEnv(container: container, variables: capped)
            return outcome
        default:
            return Outcome(action: action)
        }
    }

    private func scale(_ replicas: Int, current: CurrentState) -> Outcome {
        var outcome = Outcome(action: .scale(replicas: replicas))
        var limit = Int.max
        var rule = ""
        if let maxReplicas, maxReplicas < limit {
            limit = maxReplicas
            rule = "caps.maxReplicas \(maxReplicas)"
        }
        if let maxScaleFactor {
            guard let now = current.replicas else {
                if replicas > 0 {
                    outcome.refusals.append("caps.maxScaleFactor needs the current replica count, which is unknown")
                }
                return outcome
            }
            if now >= 1 {
                let byFactor = Int((Double(now) * maxScaleFactor).rounded(.down))
                if byFactor < limit {
                    limit = byFactor
                    rule = "caps.maxScaleFactor \(Self.number(maxScaleFactor)) × \(now) current replicas = \(byFactor)"
                }
            }
        }
        guard replicas > limit else { return outcome }
        if onExceed == .deny {
            outcome.refusals.append("scale to \(replicas) replicas exceeds \(rule) (caps.onExceed: deny)")
        } else if let now = current.replicas, now >= limit {
            outcome.refusals.append("scale to \(replicas) replicas exceeds \(rule), and \(now) replicas already run: capping would change nothing")
        } else {
            outcome.action = .scale(replicas: limit)
            outcome.rewrites.append("scale to \(replicas) replicas capped to \(limit) by \(rule)")
        }
        return outcome
    }

    private func memory(_ values: [String: String], list: String, current: CurrentState?, outcome: inout Outcome) -> [String: String] {
        guard let cap = maxMemoryLimit, let wanted = values["memory"] else { return values }
        guard let bytes = try? Quantity.bytes(wanted) else {
            outcome.refusals.append("\(list).memory \(wanted) is not a quantity medic can compare with caps.maxMemoryLimit \(cap.text)")
            return values
        }
        guard bytes > cap.bytes else { return values }
        if onExceed == .deny {
            outcome.refusals.append("\(list).memory \(wanted) exceeds caps.maxMemoryLimit \(cap.text) (caps.onExceed: deny)")
            return values
        }
        if let live = current?.memoryLimit, let liveBytes = try? Quantity.bytes(live), liveBytes >= cap.bytes {
            outcome.refusals.append("\(list).memory \(wanted) exceeds caps.maxMemoryLimit \(cap.text), and the limit is already \(live): capping would change nothing")
            return values
        }
        outcome.rewrites.append("\(list).memory \(wanted) capped to \(cap.text) by caps.maxMemoryLimit")
        var capped = values
        capped["memory"] = cap.text
        return capped
    }

    private func pool(_ variable: EnvAssignment, current: CurrentState, outcome: inout Outcome) -> EnvAssignment {
        guard let maxPoolSize, poolSizeEnv.anyMatches(variable.name) else { return variable }
        guard let size = Int(variable.value) else {
            outcome.refusals.append("\(variable.name)=\(variable.value) is a pool size (caps.poolSizeEnv) but not a whole number, so caps.maxPoolSize cannot be checked")
            return variable
        }
        guard size > maxPoolSize else { return variable }
        if onExceed == .deny {
            outcome.refusals.append("\(variable.name)=\(size) exceeds caps.maxPoolSize \(maxPoolSize) (caps.onExceed: deny)")
            return variable
        }
        if let live = current.env[variable.name].flatMap({ Int($0) }), live >= maxPoolSize {
            outcome.refusals.append("\(variable.name)=\(size) exceeds caps.maxPoolSize \(maxPoolSize), and it is already \(live): capping would change nothing")
            return variable
        }
        outcome.rewrites.append("\(variable.name)=\(size) capped to \(maxPoolSize) by caps.maxPoolSize")
        return EnvAssignment(name: variable.name, value: String(maxPoolSize))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
