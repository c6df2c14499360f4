import MedicKube

/// Something that went wrong in a pass, with the stage it happened in. Only a failed observation
/// stops a pass (the loop then counts it as not observed); every other error is reported and
/// the pass goes on.
public struct PassError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Stage: String, Sendable {
        /// The cluster could not be read: nothing else happened.
        case observe
        /// A metric query failed: the conditions that need it are unknown.
        case prometheus
        /// A record could not be appended.
        case audit
        /// A record is in the audit log but not in its Remediation object.
        case remediation
        /// A Kubernetes Event could not be created.
        case event
        /// An action was not sent, its outcome not recorded, or its rollback failed.
        case act
        /// A write or record was refused because this replica may no longer lead.
        case fence
    }

    public var stage: Stage
    /// The whole message as logged, e.g. `observe: cannot list pods: …`.
    public var description: String

    static func observe(_ message: String) -> PassError { PassError(stage: .observe, description: "observe: \(message)") }
    static func prometheus(_ message: String) -> PassError { PassError(stage: .prometheus, description: "prometheus: \(message)") }
    static func audit(_ message: String) -> PassError { PassError(stage: .audit, description: "audit log: \(message)") }
    static func remediation(_ message: String) -> PassError {
        PassError(stage: .remediation, description: "remediation object: \(message)")
    }
    static func event(_ message: String) -> PassError { PassError(stage: .event, description: "event \(message)") }
    static func act(_ message: String) -> PassError { PassError(stage: .act, description: message) }
    static let cancelled = PassError(stage: .fence, description: "fence: pass cancelled, this replica stopped leading")
    static func fenced(_ error: FenceError) -> PassError {
        PassError(stage: .fence, description: "fence: not recorded, this replica may no longer lead: \(error.description)")
    }
}
