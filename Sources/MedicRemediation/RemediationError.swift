/// Why a remediation cannot be rendered or sent. Each description names the action, the
/// offending value and what to do instead, because the reader is usually an on-call human
/// or a runbook author looking at a refused proposal.
public struct RemediationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A name, value or number the action cannot carry safely or the API would reject.
        case invalidParameter = "invalid-parameter"
        /// The action does not apply to the target's kind.
        case wrongTargetKind = "wrong-target-kind"
        /// The request body depends on the live object and no snapshot of it was given.
        case needsCurrentState = "needs-current-state"
        /// The action has no API request medic can build (yet), or none at all.
        case notRenderable = "not-renderable"
        /// The live object lacks the container the action names.
        case containerNotFound = "container-not-found"
        /// The Service has no port of that name or number (or several share the number).
        case portNotFound = "port-not-found"
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
