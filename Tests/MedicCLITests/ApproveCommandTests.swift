import Foundation
import KubeSim
import MedicKube
import Testing

/// `medic approve --cluster` and `medic audit resolve --cluster`: a person's word put on the
/// action's Remediation object, as `kubectl annotate` would, for the leader to record.
@Suite("approve and resolve on the Remediation object", .serialized, .timeLimit(.minutes(2)))
struct ApproveCommandTests {
    static func remediation(_ id: String, phase: String) -> String {
        """
        apiVersion: medic.io/v1
        kind: Remediation
        metadata: {name: medic-\(id), namespace: shop}
        spec:
          target: {kind: Deployment, namespace: shop, name: api}
          action: set-resources
        status: {phase: \(phase), updated: "2026-11-20T03:00:00Z", records: []}
        ---

        """
    }

    /// A KubeSim serving the shipped CRD and three actions: one awaiting approval, one applied,
    /// one in flight.
    static func withCluster(_ body: (_ sim: KubeSim, _ kubeconfig: String) async throws -> Void) async throws {
        let sim = KubeSim()
        try sim.load(manifests: try String(contentsOf: MedicBinary.repository.appendingPathComponent("deploy/base/crd-remediations.yaml"),
                                           encoding: .utf8))
        try sim.load(manifests: "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                     + remediation("a1", phase: "AwaitingApproval") + remediation("a2", phase: "Applied")
                     + remediation("a3", phase: "InFlight"))
        let server = try await sim.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-approve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        do {
            try await body(sim, kubeconfig)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func object(_ sim: KubeSim, _ name: String) -> JSON? {
        sim.catalog.named("remediations").flatMap { sim.get($0, namespace: "shop", name: name) }
    }

    static func annotations(_ sim: KubeSim, _ name: String) -> [String: String] {
        (object(sim, name)?[path: ["metadata", "annotations"]]?.object ?? [:]).compactMapValues(\.string)
    }

    @Test("approve --cluster annotates a pending action's object under the field manager medic-cli/NAME")
    func approveAnnotates() async throws {
        try await Self.withCluster { sim, kubeconfig in
            let approved = try await MedicBinary.runOffPool(["approve", "a1", "--cluster", "--kubeconfig", kubeconfig, "--as", "alice"])
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(approved.stdout == "approved a1 as alice on Remediation shop/medic-a1: the leader records it and acts on its next pass\n")
            let object = try #require(Self.object(sim, "medic-a1"))
            #expect(object[path: ["metadata", "annotations", "medic.io/approve"]] == "true")
            let managers = object[path: ["metadata", "managedFields"]]?.array?.compactMap { $0["manager"]?.string } ?? []
            #expect(managers.contains("medic-cli/alice"))

            // Not pending, or not there: exit 1 and why; nothing written.
            let applied = try await MedicBinary.runOffPool(["approve", "a2", "--cluster", "--kubeconfig", kubeconfig, "--as", "alice"])
            #expect(applied.status == 1)
            #expect(applied.stderr.hasPrefix("medic: Remediation shop/medic-a2 is Applied, not AwaitingApproval or NeedsHuman: nothing to do"))
            #expect(Self.annotations(sim, "medic-a2")["medic.io/approve"] == nil)
            let unknown = try await MedicBinary.runOffPool(["approve", "zz", "--cluster", "--kubeconfig", kubeconfig, "--as", "alice"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.hasPrefix("medic: no Remediation object medic-zz in any namespace"))
        }
    }

    @Test("audit resolve --cluster sets the outcome and the reason on an action in flight, and nothing on one that is not")
    func resolveAnnotates() async throws {
        try await Self.withCluster { sim, kubeconfig in
            let resolved = try await MedicBinary.runOffPool(["audit", "resolve", "a3", "--cluster", "--kubeconfig", kubeconfig, "--as", "bob",
                                                "--outcome", "not-applied", "--reason", "limit still 128Mi"])
            #expect(resolved.status == 0, "\(resolved.stderr)")
            #expect(Self.annotations(sim, "medic-a3")["medic.io/resolve"] == "not-applied")
            #expect(Self.annotations(sim, "medic-a3")["medic.io/resolve-reason"] == "limit still 128Mi")
            let settled = try await MedicBinary.runOffPool(["audit", "resolve", "a2", "--cluster", "--kubeconfig", kubeconfig, "--as", "bob",
                                               "--outcome", "applied", "--reason", "x"])
            #expect(settled.status == 1)
            #expect(Self.annotations(sim, "medic-a2").isEmpty)
        }
    }

    @Test("one place to record it: --cluster or --audit-log, and a name a field manager can carry")
    func usage() async throws {
        let neither = try await MedicBinary.runOffPool(["approve", "a1", "--as", "alice"])
        #expect(neither.status == 64 || neither.status == 2)
        #expect(neither.stderr.contains("say where to record it: --cluster"))
        let both = try await MedicBinary.runOffPool(["approve", "a1", "--cluster", "--audit-log", "x", "--as", "alice"])
        #expect(both.stderr.contains("--audit-log and --cluster are two places to record it"))
        let spaced = try await MedicBinary.runOffPool(["approve", "a1", "--cluster", "--as", "Alice Smith"])
        #expect(spaced.status == 2)
        #expect(spaced.stderr.contains("use up to 100 printable ASCII characters without spaces"))
    }
}
