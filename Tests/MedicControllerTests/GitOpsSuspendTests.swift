import Foundation
import KubeSim
import MedicAudit
import MedicController
import MedicKube
import MedicPolicy
import MedicRemediation
import Testing

/// `gitops: suspend`: a fix to an object Argo CD or Flux owns is sent only after medic
/// suspended the owner's sync (`suspend-sync`, under the policy's `actions:`), both read back
/// from KubeSim serving the Flux and Argo CD CRDs. Nothing is changed live when the owner
/// cannot be read, when suspending is not allowed, or before a needed approval.
@Suite("gitops: suspend", .timeLimit(.minutes(1)))
struct GitOpsSuspendTests {
    static let crds = ReconcilerHarness.repository.appendingPathComponent("Tests/KubeSimTests/Fixtures/crds")
    static let kustomization = ObjectRef(kind: "Kustomization", namespace: "flux-system", name: "apps")
    static let application = ObjectRef(kind: "Application", namespace: "argocd", name: "guestbook")

    enum Owner { case flux, argoCD }

    /// The shop's `api` Deployment, owned by `owner`'s object, which is installed with its CRD
    /// unless `installed` is false.
    static func start(owner: Owner, installed: Bool = true, edit: (inout JSON) -> Void = { _ in }) async throws -> ReconcilerHarness {
        let harness = try await ReconcilerHarness.start()
        let (crd, object, labels): (String, String, [String: JSON]) = switch owner {
        case .flux: ("kustomizations.kustomize.toolkit.fluxcd.io.yaml", "kustomization.yaml",
                     ["kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"])
        case .argoCD: ("applications.argoproj.io.yaml", "application.yaml", ["argocd.argoproj.io/instance": "guestbook"])
        }
        try harness.sim.load(manifests: try String(contentsOf: crds.appendingPathComponent(crd), encoding: .utf8))
        if installed {
            let text = try String(contentsOf: crds.appendingPathComponent(object), encoding: .utf8)
            try harness.sim.load(manifests: text)
            var syncer = try #require(harness.sim.objects(in: owner == .flux ? kustomization : application).first)
            edit(&syncer)
            _ = try harness.sim.put(syncer)
        }
        var deployment = harness.deployment
        for (key, value) in labels { deployment[path: ["metadata", "labels", key]] = value }
        _ = try harness.sim.put(deployment)
        return harness
    }

    static func policy(suspendSync permission: String, mode: String = "apply") throws -> Policy {
        try PolicyLoader.parse("""
            apiVersion: medic.io/v1
            kind: Policy
            metadata: {name: test}
            spec:
              mode: \(mode)
              gitops: suspend
              actions: {default: denied, set-resources: allowed, suspend-sync: \(permission)}
              caps: {maxMemoryLimit: 4Gi}
            """, file: "suspend.yaml")
    }

    @Test("Flux: the Kustomization is suspended first, then the fix is applied in the same pass; no second suspension")
    func fluxSuspendThenFix() async throws {
        let harness = try await Self.start(owner: .flux)
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try Self.policy(suspendSync: "allowed"))
        let pass = await reconciler.pass()
        #expect(pass.decisions.map(\.identity.actionType) == ["suspend-sync", "set-resources"])
        #expect(pass.decisions.map(\.verdict) == [.allowed, .allowed])
        #expect(pass.executions.map(\.result) == [.applied, .applied])
        #expect(pass.decisions.first?.command
            == #"kubectl -n flux-system patch kustomizations.kustomize.toolkit.fluxcd.io/apps --type=merge -p '{"spec":{"suspend":true}}'"#)
        #expect(harness.sim.objects(in: Self.kustomization).first?[path: ["spec", "suspend"]] == .bool(true))
        #expect(harness.memoryLimit == "256Mi")
        #expect(try harness.recordKinds() == ["finding", "decision:allowed", "intent", "outcome", "decision:allowed", "intent", "outcome"])
        let suspension = try #require(pass.decisions.first?.actionID)
        // Settled by its outcome: nothing waits to verify it, so the fix is the only thing verified.
        let ledger = await harness.audit.ledger
        #expect(ledger.awaitingVerification.map(\.actionType) == ["set-resources"])
        #expect(ledger.actions[suspension]?.target == Self.kustomization)
        let applied = harness.sim.objects(.event, namespace: "flux-system").filter { $0["reason"]?.string == "MedicApplied" }
        #expect(applied.map { $0[path: ["involvedObject", "apiVersion"]]?.string } == ["kustomize.toolkit.fluxcd.io/v1"])

        // The fix worked: the next pass verifies it and suspends nothing again.
        harness.clock.advance(by: 60)
        let next = await reconciler.pass()
        #expect(next.verifications.map(\.state) == [.passed])
        #expect(next.executions.isEmpty)
        #expect(try harness.recordKinds().filter { $0 == "intent" }.count == 2)
        try harness.expectIntact()
    }

    @Test("Argo CD: automated sync is removed from the Application, then the fix is applied")
    func argoCDSuspendThenFix() async throws {
        let harness = try await Self.start(owner: .argoCD)
        defer { Task { await harness.stop() } }
        let pass = await harness.reconciler(policy: try Self.policy(suspendSync: "allowed")).pass()
        #expect(pass.executions.map(\.result) == [.applied, .applied])
        #expect(pass.decisions.first?.command
            == #"kubectl -n argocd patch applications.argoproj.io/guestbook --type=json -p '[{"op":"remove","path":"/spec/syncPolicy/automated"}]'"#)
        let application = try #require(harness.sim.objects(in: Self.application).first)
        #expect(application[path: ["spec", "syncPolicy", "automated"]] == nil)
        #expect(application[path: ["spec", "project"]] == "default")
        #expect(harness.memoryLimit == "256Mi")
    }

    @Test("an owner already suspended: the fix goes alone")
    func alreadySuspended() async throws {
        let harness = try await Self.start(owner: .flux) { $0[path: ["spec", "suspend"]] = true }
        defer { Task { await harness.stop() } }
        let pass = await harness.reconciler(policy: try Self.policy(suspendSync: "allowed")).pass()
        #expect(pass.decisions.map(\.identity.actionType) == ["set-resources"])
        #expect(pass.executions.map(\.result) == [.applied])
    }

    @Test("suspend-sync needs approval: proposed, the fix waits; approved by annotation on the Kustomization, both are sent")
    func suspensionNeedsApproval() async throws {
        let harness = try await Self.start(owner: .flux)
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler(policy: try Self.policy(suspendSync: "needs-approval"))
        let first = await reconciler.pass()
        #expect(first.decisions.map(\.verdict) == [.needsApproval, .denied])
        #expect(first.executions.isEmpty)
        #expect(first.decisions.last?.reasons == [
            "gitops: Deployment shop/api is managed by Flux Kustomization 'apps' (label kustomize.toolkit.fluxcd.io/name), whose sync would revert a live change: medic suspends Kustomization flux-system/apps first (suspend-sync), then changes it (policy gitops: suspend)",
        ])
        #expect(harness.memoryLimit == "128Mi")
        #expect(harness.sim.objects(in: Self.kustomization).first?[path: ["spec", "suspend"]] == nil)

        let id = try #require(first.decisions.first?.actionID)
        var syncer = try #require(harness.sim.objects(in: Self.kustomization).first)
        syncer[path: ["metadata", "annotations", "medic.io/approve"]] = .string(id)
        _ = try harness.sim.put(syncer)
        let second = await reconciler.pass()
        #expect(second.decisions.map(\.verdict) == [.approved, .allowed])
        #expect(second.executions.map(\.result) == [.applied, .applied])
        #expect(harness.memoryLimit == "256Mi")
    }

    @Test("suspend-sync not allowed by actions: neither is sent, and the reasons say so")
    func suspensionDenied() async throws {
        let harness = try await Self.start(owner: .flux)
        defer { Task { await harness.stop() } }
        let pass = await harness.reconciler(policy: try Self.policy(suspendSync: "denied")).pass()
        #expect(pass.decisions.map(\.verdict) == [.denied, .denied])
        #expect(pass.decisions.first?.reasons.contains { $0.contains("suspend-sync") } == true)
        #expect(pass.executions.isEmpty)
        #expect(harness.memoryLimit == "128Mi")
        #expect(harness.sim.objects(in: Self.kustomization).first?[path: ["spec", "suspend"]] == nil)
    }

    @Test("an owner that cannot be read: nothing is suspended or changed live")
    func ownerUnreadable() async throws {
        let harness = try await Self.start(owner: .flux, installed: false)
        defer { Task { await harness.stop() } }
        let pass = await harness.reconciler(policy: try Self.policy(suspendSync: "allowed")).pass()
        #expect(pass.decisions.map(\.identity.actionType) == ["set-resources"])
        #expect(pass.decisions.map(\.verdict) == [.denied])
        let reason = try #require(pass.decisions.first?.reasons.first)
        #expect(reason.hasPrefix("gitops: Deployment shop/api is managed by Flux Kustomization 'apps' (label kustomize.toolkit.fluxcd.io/name) and whether its sync is suspended is unknown (cannot read Kustomization flux-system/apps:"))
        #expect(reason.hasSuffix("so nothing is changed live (policy gitops: suspend)"))
        #expect(pass.executions.isEmpty)
        #expect(harness.memoryLimit == "128Mi")
    }

    @Test("an Application an app-of-apps syncs is not suspended: its parent would switch automated sync back on")
    func argoCDParentRefuses() async throws {
        let harness = try await Self.start(owner: .argoCD) { $0[path: ["metadata", "labels", "argocd.argoproj.io/instance"]] = "root" }
        defer { Task { await harness.stop() } }
        let pass = await harness.reconciler(policy: try Self.policy(suspendSync: "allowed")).pass()
        #expect(pass.decisions.map(\.verdict) == [.denied, .denied])
        #expect(pass.decisions.first?.reasons.contains {
            $0.hasPrefix("gitops: Application argocd/guestbook is itself synced by Argo CD application 'root'")
        } == true)
        #expect(pass.executions.isEmpty)
        #expect(try #require(harness.sim.objects(in: Self.application).first)[path: ["spec", "syncPolicy", "automated"]] != nil)
    }

    @Test("dry-run mode: both go to the server's dry run and nothing changes")
    func dryRun() async throws {
        let harness = try await Self.start(owner: .flux)
        defer { Task { await harness.stop() } }
        let pass = await harness.reconciler(policy: try Self.policy(suspendSync: "allowed", mode: "dry-run")).pass()
        #expect(pass.executions.map(\.result) == [.dryRunAccepted, .dryRunAccepted])
        #expect(harness.sim.objects(in: Self.kustomization).first?[path: ["spec", "suspend"]] == nil)
        #expect(harness.memoryLimit == "128Mi")
    }

    @Test("kubectl's command and medic's request leave the same Kustomization and Application")
    func sameAsKubectl() async throws {
        for (owner, ref, syncer) in [(Owner.flux, Self.kustomization, GitOpsOwner.Syncer.fluxKustomization),
                                     (.argoCD, Self.application, .argoCDApplication)] {
            let viaKubectl = try await Self.start(owner: owner)
            let viaMedic = try await Self.start(owner: owner)
            defer { Task { await viaKubectl.stop(); await viaMedic.stop() } }
            let pass = await viaMedic.reconciler(policy: try Self.policy(suspendSync: "allowed")).pass()
            #expect(pass.executions.first?.result == .applied)
            let arguments = try #require(Remediation(target: ref, action: .suspendSync(syncer)).kubectlArguments)
            let run = try await KubectlEquivalenceCluster.kubectl(
                arguments, kubeconfig: viaKubectl.directory.appendingPathComponent("kubeconfig").path, directory: viaKubectl.directory)
            #expect(run.status == 0, "\(arguments): \(run.output)")
            let spec = { (harness: ReconcilerHarness) in harness.sim.objects(in: ref).first?["spec"] }
            #expect(spec(viaKubectl) == spec(viaMedic))
            #expect(spec(viaMedic) != nil)
        }
    }
}

extension KubeSim {
    /// The Argo CD or Flux object `ref` names, as a list of none or one.
    func objects(in ref: ObjectRef) -> [JSON] {
        let plural = GitOpsOwner.Syncer(rawValue: ref.kind)!.resource.plural
        guard let type = catalog.named(plural) else { return [] }
        return get(type, namespace: ref.namespace, name: ref.name).map { [$0] } ?? []
    }
}
