import Foundation
import Testing

/// The permissions each mode needs, from the code rather than from the manifests.
enum RequiredPermissions {
    /// What `medic run` needs beyond the reads of `medic advise`: its Lease (leader election,
    /// in its own namespace) and the Events it records. Declared, not derived, because the
    /// loop is not in this tree yet; once it is, record a `medic run --once` against KubeSim
    /// as `InClusterTests.adviseUnderRBAC` records `medic advise`.
    static let loop: Set<Permission> = [
        Permission("create", "", "events"),
        Permission("get", "coordination.k8s.io", "leases"),
        Permission("create", "coordination.k8s.io", "leases"),
        Permission("update", "coordination.k8s.io", "leases"),
    ]
}

@Suite("RBAC matches the code")
struct PermissionTests {
    @Test("medic-apply grants exactly what the actions send")
    func apply() throws {
        let needs = try ActionPermissions.needs()
        let required = Set(needs.map(\.permission))
        let granted = Permission.granted(by: try RenderedOverlay.render("apply").object("ClusterRole", "medic-apply"))
        let missing = required.subtracting(granted).sorted().map { permission in
            "\(permission) (for \(needs.filter { $0.permission == permission }.map(\.why).joined(separator: ", ")))"
        }
        #expect(missing == [], "medic-apply lacks what the actions send")
        #expect(granted.subtracting(required).sorted() == [], "medic-apply grants what no action sends")
        #expect(required.sorted().map(\.description) == [
            "delete pods", "get apps/daemonsets", "get apps/deployments", "get apps/statefulsets",
            "patch apps/daemonsets", "patch apps/deployments", "patch apps/deployments/scale",
            "patch apps/statefulsets", "patch apps/statefulsets/scale", "patch services",
        ])
    }

    @Test("the advise overlay has no write permission outside the loop's Events and Lease")
    func advise() throws {
        let rendered = try RenderedOverlay.render("advise")
        #expect(rendered.all("ClusterRole").map(Manifest.name) == ["medic-read"])
        let read = Permission.granted(by: try rendered.object("ClusterRole", "medic-read"))
        let lease = Permission.granted(by: try rendered.object("Role", "medic-leader-election"))
        let writes = read.union(lease).filter { !["get", "list", "watch"].contains($0.verb) }
        #expect(writes == RequiredPermissions.loop.filter { $0.verb != "get" })
        #expect(lease == RequiredPermissions.loop.filter { $0.group == "coordination.k8s.io" })
        #expect(read.intersection(RequiredPermissions.loop) == [Permission("create", "", "events")])
    }

    @Test("the apply overlay adds medic-apply and changes nothing else")
    func applyAddsOnly() throws {
        let advise = try RenderedOverlay.render("advise"), apply = try RenderedOverlay.render("apply")
        for kind in ["ClusterRole", "Role"] {
            for role in advise.all(kind) {
                #expect(Permission.granted(by: try apply.object(kind, Manifest.name(role))) == Permission.granted(by: role))
            }
        }
        let binding = try apply.object("ClusterRoleBinding", "medic-apply")
        let subjects = binding["subjects"] as? [[String: Any]] ?? []
        #expect(subjects.map { "\($0["kind"] ?? "")/\($0["namespace"] ?? "")/\($0["name"] ?? "")" } == ["ServiceAccount/medic/medic"])
        #expect(Manifest.dig(binding, "roleRef", "name") as? String == "medic-apply")
    }
}
