import Foundation
import MedicKube
import Testing

/// Who syncs an object, where that syncing object lives, and whether it is suspended.
@Suite struct GitOpsOwnerTests {
    @Test func syncObjectFromTheMarks() {
        let flux = GitOpsOwner.of(labels: ["kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"],
                                  annotations: [:])
        #expect(flux?.syncObject(argoCDNamespace: "argocd") == ObjectRef(kind: "Kustomization", namespace: "flux-system", name: "apps"))
        let helm = GitOpsOwner.of(labels: ["helm.toolkit.fluxcd.io/name": "podinfo"], annotations: [:])
        #expect(helm?.syncer == .fluxHelmRelease)
        #expect(helm?.syncObject(argoCDNamespace: "argocd") == nil, "without its namespace label a Flux owner is not guessed")
        let argo = GitOpsOwner.of(labels: ["argocd.argoproj.io/instance": "shop"], annotations: [:])
        #expect(argo?.syncObject(argoCDNamespace: "gitops") == ObjectRef(kind: "Application", namespace: "gitops", name: "shop"))
        let anyNamespace = GitOpsOwner.of(labels: [:], annotations: ["argocd.argoproj.io/tracking-id": "team-a_shop:apps/Deployment:shop/api"])
        #expect(anyNamespace?.name == "shop")
        #expect(anyNamespace?.syncObject(argoCDNamespace: "argocd") == ObjectRef(kind: "Application", namespace: "team-a", name: "shop"))
    }

    @Test func suspendedAsTheServerReturnsIt() {
        let flux = GitOpsOwner.Syncer.fluxKustomization
        #expect(flux.isSuspended(["kind": "Kustomization", "spec": ["interval": "10m"]]) == false)
        #expect(flux.isSuspended(["kind": "Kustomization", "spec": ["suspend": true]]) == true)
        #expect(flux.isSuspended(["kind": "Kustomization", "spec": ["suspend": false]]) == false)
        #expect(flux.isSuspended(["kind": "HelmRelease", "spec": ["suspend": true]]) == nil)
        #expect(flux.isSuspended(["kind": "Kustomization"]) == nil)
        let argo = GitOpsOwner.Syncer.argoCDApplication
        #expect(argo.isSuspended(["kind": "Application", "spec": ["syncPolicy": ["automated": ["selfHeal": true]]]]) == false)
        #expect(argo.isSuspended(["kind": "Application", "spec": ["syncPolicy": ["automated": [:]]]]) == false)
        #expect(argo.isSuspended(["kind": "Application", "spec": ["syncPolicy": ["syncOptions": ["CreateNamespace=true"]]]]) == true)
        #expect(argo.isSuspended(["kind": "Application", "spec": ["project": "default"]]) == true)
    }
}
