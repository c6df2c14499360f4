import Foundation
import MedicKube
import Testing
@testable import MedicRemediation

/// `suspend-sync` renders what `flux suspend` and turning Argo CD's auto-sync off do, as a
/// kubectl patch and its request, and refuses any other target.
@Suite struct SuspendSyncTests {
    static let kustomization = ObjectRef(kind: "Kustomization", namespace: "flux-system", name: "apps")
    static let helmRelease = ObjectRef(kind: "HelmRelease", namespace: "flux-system", name: "podinfo")
    static let application = ObjectRef(kind: "Application", namespace: "argocd", name: "guestbook")

    @Test func fluxObjectsGetSpecSuspend() throws {
        for (ref, syncer, path) in [
            (Self.kustomization, GitOpsOwner.Syncer.fluxKustomization, "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps"),
            (Self.helmRelease, .fluxHelmRelease, "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases/podinfo"),
        ] {
            let remediation = Remediation(target: ref, action: .suspendSync(syncer))
            let request = try remediation.apiRequest(dryRun: true)
            #expect(request.method == "PATCH")
            #expect(request.path == path)
            #expect(request.query == ["fieldManager": "kubectl-patch", "dryRun": "All"])
            #expect(request.contentType == "application/merge-patch+json")
            #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == #"{"spec":{"suspend":true}}"#)
            #expect(remediation.action.as(SuspendSync.self)?.reversal == .restore(pointer: "/spec/suspend", test: nil))
        }
        #expect(Remediation(target: Self.helmRelease, action: .suspendSync(.fluxHelmRelease)).kubectlCommand
            == #"kubectl -n flux-system patch helmreleases.helm.toolkit.fluxcd.io/podinfo --type=merge -p '{"spec":{"suspend":true}}'"#)
    }

    @Test func argoCDLosesAutomatedSync() throws {
        let remediation = Remediation(target: Self.application, action: .suspendSync(.argoCDApplication))
        let request = try remediation.apiRequest()
        #expect(request.path == "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/guestbook")
        #expect(request.contentType == "application/json-patch+json")
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == #"[{"op":"remove","path":"/spec/syncPolicy/automated"}]"#)
        #expect(remediation.kubectlArguments == ["kubectl", "-n", "argocd", "patch", "applications.argoproj.io/guestbook", "--type=json",
                                                 "-p", #"[{"op":"remove","path":"/spec/syncPolicy/automated"}]"#])
    }

    @Test func refusesAnyOtherTarget() {
        let deployment = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
        #expect(throws: RemediationError.self) { try Remediation(target: deployment, action: .suspendSync(.fluxKustomization)).validate() }
        // The syncer must match the kind: a Kustomization is not suspended the Argo CD way.
        #expect(throws: RemediationError.self) { try Remediation(target: Self.kustomization, action: .suspendSync(.argoCDApplication)).validate() }
    }

    @Test func settledByItsOutcomeAndNotForManifests() {
        let action = Action.suspendSync(.fluxKustomization)
        #expect(action.isMutating)
        #expect(!action.isVerified)
        #expect(!action.changesManifests)
        #expect(Action.scale(replicas: 1).isVerified)
        #expect(!Action.notify(message: "x").isVerified)
    }
}
