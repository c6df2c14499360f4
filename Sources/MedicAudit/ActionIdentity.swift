import Crypto
import Foundation
import MedicKube
import MedicRemediation

/// What makes two proposals "the same action": the runbook that proposed it, the object, the
/// action type and its parameters (the kubectl command spells them all). The act stage never
/// sends the same action twice for one finding, and it recognises "the same" by this value,
/// also across restarts: every action id starts with the identity's hash.
public struct ActionIdentity: Sendable, Hashable, CustomStringConvertible {
    public var runbook: String
    public var target: ObjectRef
    public var actionType: String
    /// The parameters as the kubectl command renders them (`notify`: its message).
    public var parameters: String

    public init(runbook: String, remediation: Remediation) {
        self.runbook = runbook
        target = remediation.target
        actionType = remediation.action.type
        if let message = remediation.action.as(Notify.self)?.message {
            parameters = message
        } else {
            parameters = remediation.kubectlCommand ?? ""
        }
    }

    /// Eight hex digits, stable across processes and releases (FNV-1a, not Swift's seeded `hashValue`).
    public var hash: String {
        IdentityHash.hex(["action", runbook, target.kind, target.namespace, target.name, actionType, parameters])
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
        for byte in fields.joined(separator: "\u{0}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let digits = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension Remediation {
    /// What a human approves: the SHA-256 (hex) of the object, the action and the exact command
    /// with its real values (not the masked one), so an approval given for one command is
    /// never spent on another, even when only a masked value differs.
    public var approvalHash: String { approvalHash(request: nil) }

    /// The same, bound also to `request`, the API request the command becomes against the live
    /// object (`Executor.approvalRequest`): a `rollout undo` approved while revision 4 was the
    /// one before is not sent once a deploy made that revision 5.
    public func approvalHash(request: String?) -> String {
        var fields = ["approval", target.kind, target.namespace, target.name, action.type,
                      action.as(Notify.self)?.message ?? kubectlCommand ?? ""]
        if let request { fields.append(request) }
        // Hex by hand: a formatted string per byte was a tenth of a pass's decisions.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * SHA256.byteCount)
        for byte in SHA256.hash(data: Data(fields.joined(separator: "\u{0}").utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
