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

    /// Each action says which of its values are capped (`ActionDescriptor.capped(by:)`); the
    /// caps say how far, against the live values in `current`.
    func apply(to action: Action, current: CurrentState) -> Outcome {
        var capper = Capper(caps: self, current: current)
        let capped = action.capped(by: &capper)
        return Outcome(action: capped, rewrites: capper.rewrites, refusals: capper.refusals)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Holds one action's values to the caps, noting each rewrite and refusal.
private struct Capper: ActionCapping {
    let caps: Caps
    let current: CurrentState
    var rewrites: [String] = []
    var refusals: [String] = []

    init(caps: Caps, current: CurrentState) {
        self.caps = caps
        self.current = current
    }

    mutating func replicas(_ replicas: Int) -> Int {
        var limit = Int.max
        var rule = ""
        if let maxReplicas = caps.maxReplicas, maxReplicas < limit {
            limit = maxReplicas
            rule = "caps.maxReplicas \(maxReplicas)"
        }
        if let maxScaleFactor = caps.maxScaleFactor {
            guard let now = current.replicas else {
                if replicas > 0 {
                    refusals.append("caps.maxScaleFactor needs the current replica count, which is unknown")
                }
                return replicas
            }
            if now >= 1 {
                let byFactor = Int((Double(now) * maxScaleFactor).rounded(.down))
                if byFactor < limit {
                    limit = byFactor
                    rule = "caps.maxScaleFactor \(Caps.number(maxScaleFactor)) × \(now) current replicas = \(byFactor)"
                }
            }
        }
        guard replicas > limit else { return replicas }
        if caps.onExceed == .deny {
            refusals.append("scale to \(replicas) replicas exceeds \(rule) (caps.onExceed: deny)")
        } else if let now = current.replicas, now >= limit {
            refusals.append("scale to \(replicas) replicas exceeds \(rule), and \(now) replicas already run: capping would change nothing")
        } else {
            rewrites.append("scale to \(replicas) replicas capped to \(limit) by \(rule)")
            return limit
        }
        return replicas
    }

    mutating func memoryLimits(_ values: [String: String]) -> [String: String] {
        memory(values, list: "limits", live: current.memoryLimit)
    }

    /// Requests are not compared with the live limit.
    mutating func memoryRequests(_ values: [String: String]) -> [String: String] {
        memory(values, list: "requests", live: nil)
    }

    private mutating func memory(_ values: [String: String], list: String, live: String?) -> [String: String] {
        guard let cap = caps.maxMemoryLimit, let wanted = values["memory"] else { return values }
        guard let bytes = try? Quantity.bytes(wanted) else {
            refusals.append("\(list).memory \(wanted) is not a quantity medic can compare with caps.maxMemoryLimit \(cap.text)")
            return values
        }
        guard bytes > cap.bytes else { return values }
        if caps.onExceed == .deny {
            refusals.append("\(list).memory \(wanted) exceeds caps.maxMemoryLimit \(cap.text) (caps.onExceed: deny)")
            return values
        }
        if let live, let liveBytes = try? Quantity.bytes(live), liveBytes >= cap.bytes {
            refusals.append("\(list).memory \(wanted) exceeds caps.maxMemoryLimit \(cap.text), and the limit is already \(live): capping would change nothing")
            return values
        }
        rewrites.append("\(list).memory \(wanted) capped to \(cap.text) by caps.maxMemoryLimit")
        var capped = values
        capped["memory"] = cap.text
        return capped
    }

    mutating func environment(_ variable: EnvAssignment) -> EnvAssignment {
        guard let maxPoolSize = caps.maxPoolSize, caps.poolSizeEnv.anyMatches(variable.name) else { return variable }
        guard let size = Int(variable.value) else {
            refusals.append("\(variable.name)=\(variable.value) is a pool size (caps.poolSizeEnv) but not a whole number, so caps.maxPoolSize cannot be checked")
            return variable
        }
        guard size > maxPoolSize else { return variable }
        if caps.onExceed == .deny {
            refusals.append("\(variable.name)=\(size) exceeds caps.maxPoolSize \(maxPoolSize) (caps.onExceed: deny)")
            return variable
        }
        if let live = current.env[variable.name].flatMap({ Int($0) }), live >= maxPoolSize {
            refusals.append("\(variable.name)=\(size) exceeds caps.maxPoolSize \(maxPoolSize), and it is already \(live): capping would change nothing")
            return variable
        }
        rewrites.append("\(variable.name)=\(size) capped to \(maxPoolSize) by caps.maxPoolSize")
        return EnvAssignment(name: variable.name, value: String(maxPoolSize))
    }
}
