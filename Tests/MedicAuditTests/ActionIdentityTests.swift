import MedicKube
import Testing
@testable import MedicAudit

/// Incident and action ids are written to the audit log and the Remediation objects, and read
/// back after a restart or a failover: their hash must never change.
@Suite struct ActionIdentityTests {
    @Test("an incident's prefix is FNV-1a over its NUL-separated fields, folded to 8 hex digits")
    func incidentPrefix() {
        let prefix = ActionIdentity.incidentPrefix(runbook: "oom", target: ObjectRef(kind: "Deployment", namespace: "shop", name: "cart"))
        // Computed apart from medic, over "incident\0oom\0Deployment\0shop\0cart".
        #expect(prefix == "id0b6e6b9")
        #expect(IdentityHash.hex([""]) == IdentityHash.hex([]))
        #expect(IdentityHash.hex(["a", "b"]) != IdentityHash.hex(["ab"]))
        #expect(IdentityHash.hex(["x"]).count == 8)
    }
}
