import Foundation
import MedicKube
import MedicRemediation

/// What makes two proposals "the same action": the runbook that proposed it, the object, the
/// action type and its parameters (the kubectl command spells them all). The act stage never
/// sends the same action twice for one finding, and it recognises "the same" by this value,
/// also across restarts: every action id starts with the identity's hash.
public struct ActionIdentity: Sendable, Hashable, CustomStringConvertible {
    public let runbook: String
    public let target: ObjectRef
    public let actionType: String
    /// The parameters as the kubectl command renders them (`notify`: its message).
    public let parameters: String
    /// Eight hex digits, stable across processes and releases (FNV-1a, not Swift's seeded
    /// `hashValue`): every action id starts with it. Computed once: the act stage looks
    /// identities up in the ledger for every finding of every pass.
    public let hash: String

    public init(runbook: String, remediation: Remediation) {
        self.runbook = runbook
        target = remediation.target
        actionType = remediation.action.type
        if let message = remediation.action.as(Notify.self)?.message {
            parameters = message
        } else {
            parameters = remediation.kubectlCommand ?? ""
        }
        hash = IdentityHash.hex(["action", runbook, target.kind, target.namespace, target.name, actionType, parameters])
    }

    public var description: String { "\(actionType) on \(target) for \(runbook)" }

    /// The id of the `ordinal`-th action (1, 2, …) with this identity: `3f29c1b7-2`.
    func actionID(ordinal: Int) -> String { "\(hash)-\(ordinal)" }

    /// The prefix shared by every incident of `runbook` on `target`.
    static func incidentPrefix(runbook: String, target: ObjectRef) -> String {
        "i" + IdentityHash.hex(["incident", runbook, target.kind, target.namespace, target.name])
    }
}

/// FNV-1a (64 bit) over NUL-separated fields, cut to 32 bits of hex: short enough to type in
/// `medic approve`, long enough that two identities on one cluster do not collide in practice.
enum IdentityHash {
    static func hex(_ fields: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // Field by field, not joined: asked for every finding of every pass that remakes the report.
        for (index, field) in fields.enumerated() {
            if index > 0 { add(0) }
            for byte in field.utf8 { add(byte) }
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let digits = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
