import MedicRemediation

/// The gate's answer for one remediation. Capping is an answer of its own so the act stage
/// can never execute the original by mistake: it gets the rewritten remediation to send.
public enum Decision: Sendable, Equatable {
    case allow
    /// Allowed only as `remediation`, rewritten to the policy's caps.
    case capped(Remediation, reasons: [Reason])
    /// A human must approve `remediation` (capped already, if a cap applied) first.
    case needsApproval(Remediation, reasons: [Reason])
    case deny(reasons: [Reason])

    /// `allowed`, `capped`, `needs-approval`, `denied`: the words in audit lines and output.
    public var verdict: String {
        switch self {
        case .allow: "allowed"
        case .capped: "capped"
        case .needsApproval: "needs-approval"
        case .deny: "denied"
        }
    }

    public var reasons: [Reason] {
        switch self {
        case .allow: []
        case .capped(_, let reasons), .needsApproval(_, let reasons), .deny(let reasons): reasons
        }
    }
}

/// One rule's say in a decision, with the sentence a tired human reads.
public struct Reason: Sendable, Equatable, CustomStringConvertible {
    /// Which rule spoke, so a caller can tell "later" (rate limit, cooldown, freeze) from "never".
    public enum Rule: String, Sendable, CaseIterable {
        case namespace
        case optOut = "opt-out"
        case chaos
        case action
        case freeze
        case inFlight = "in-flight"
        case concurrency
        case cooldown
        case rateLimit = "rate-limit"
        case cap
        case gitops
    }

    public var rule: Rule
    public var message: String

    public init(_ rule: Rule, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule.rawValue): \(message)" }
}
