import Foundation
import Testing

/// The permissions each mode needs beyond what the tests record and derive.
enum RequiredPermissions {
    /// Leader election (MedicController's LeaderElector: get, create, update of its Lease).
    /// Declared, because `medic run --once` skips the election and a test cannot record it.
    static let leaderElection: Set<Permission> = [
        Permission("get", "coordination.k8s.io", "leases"),
        Permission("create", "coordination.k8s.io", "leases"),
        Permission("update", "coordination.k8s.io", "leases"),
    ]

    /// The Events the loop records in apply mode only (MedicController's Reconciler);
    /// `InClusterTests.applyUnderRBAC` sees `medic run --once --mode=apply` send them.
    static let events = Permission("create", "", "events")

    /// Remediation objects (MedicController's RemediationStore): created beside each action's
    /// target, replaced with each record, read back after a conflict, deleted after retention.
    static let remediations: Set<Permission> = [
        Permission("get", "medic.io", "remediations"), Permission("create", "medic.io", "remediations"),
        Permission("update", "medic.io", "remediations"), Permission("delete", "medic.io", "remediations"),
    ]
}

@Suite("RBAC matches the code")
struct PermissionTests {
    @Test("medic-apply grants exactly what the actions send beyond medic-read")
    func apply() throws {
        let needs = try ActionPermissions.needs()
        let rendered = try RenderedOverlay.render("apply")
        let read = Permission.granted(by: try rendered.object("ClusterRole", "medic-read"))
        let required = Set(needs.map(\.permission)).union([RequiredPermissions.events]).union(RequiredPermissions.remediations).subtracting(read)
        let granted = Permission.granted(by: try rendered.object("ClusterRole", "medic-apply"))
        let missing = required.subtracting(granted).sorted().map { permission in
            "\(permission) (for \(needs.filter { $0.permission == permission }.map(\.why).joined(separator: ", ")))"
        }
        #expect(missing == [], "medic-apply lacks what the actions send")
        #expect(granted.subtracting(required).sorted() == [], "medic-apply grants what no action sends")
        #expect(granted.intersection(read) == [])
        #expect(required.sorted().map(\.description) == [
            "create events", "create medic.io/remediations", "delete medic.io/remediations", "delete pods",
            "get apps/daemonsets", "get apps/deployments", "get apps/statefulsets", "get medic.io/remediations",
            "get pods", "get services", "patch apps/daemonsets", "patch apps/deployments",
            "patch apps/deployments/scale", "patch apps/statefulsets", "patch apps/statefulsets/scale",
            "patch services", "update medic.io/remediations",
        ])
        #expect(needs.contains { $0.why == "rollout-undo on Deployment (reads the revisions)" && $0.permission.description == "list apps/replicasets" })
    }

    @Test("each action's descriptor declares every permission its requests need")
    func declaredByDescriptors() throws {
        for need in try ActionPermissions.needs() {
            #expect(ActionPermissions.declared(need.action).contains(need.permission),
                    "\(need.why): \(need.permission) is missing from the descriptor's permissions")
        }
    }

    @Test("the advise overlay writes nothing but its Lease")
    func advise() throws {
        let rendered = try RenderedOverlay.render("advise")
        #expect(rendered.all("ClusterRole").map(Manifest.name) == ["medic-read"])
        let read = Permission.granted(by: try rendered.object("ClusterRole", "medic-read"))
        let lease = Permission.granted(by: try rendered.object("Role", "medic-leader-election"))
        #expect(read.allSatisfy { ["get", "list", "watch"].contains($0.verb) })
        #expect(lease == RequiredPermissions.leaderElection)
    }

    @Test("the apply overlay adds medic-apply and changes nothing else")
    func applyAddsOnly() throws {
        let advise = try RenderedOverlay.render("advise"), apply = try RenderedOverlay.render("apply")
        for kind in ["ClusterRole", "Role"] {
            for role in advise.all(kind) {
                #expect(Permission.granted(by: try apply.object(kind, Manifest.name(role))) == Permission.granted(by: role))
            }
        }
        // Bound per namespace (ApplyRBACTests), never cluster-wide.
        let bindings = apply.all("RoleBinding").filter { Manifest.name($0) == "medic-apply" }
        #expect(!bindings.isEmpty)
        #expect(apply.all("ClusterRoleBinding").filter { Manifest.name($0) == "medic-apply" }.isEmpty)
        for binding in bindings {
            let subjects = binding["subjects"] as? [[String: Any]] ?? []
            #expect(subjects.map { "\($0["kind"] ?? "")/\($0["namespace"] ?? "")/\($0["name"] ?? "")" } == ["ServiceAccount/medic/medic"])
            #expect(Manifest.dig(binding, "roleRef", "name") as? String == "medic-apply")
        }
    }
}
