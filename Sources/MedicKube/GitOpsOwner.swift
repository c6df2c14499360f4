/// The GitOps controller that owns an object, read from the marks Argo CD and Flux leave on
/// what they apply. A live change to such an object is reverted at the next sync (at once with
/// Argo CD's self-heal), so medic and the controller would flap: the change belongs in Git.
public struct GitOpsOwner: Sendable, Equatable, CustomStringConvertible {
    /// `Argo CD application` or `Flux Kustomization` / `Flux HelmRelease`.
    public var kind: String
    public var name: String
    /// Where medic read it: `label argocd.argoproj.io/instance`.
    public var mark: String

    public var description: String { "\(kind) '\(name)' (\(mark))" }

    public static func of(labels: [String: String], annotations: [String: String]) -> GitOpsOwner? {
        if let app = labels["argocd.argoproj.io/instance"] {
            return GitOpsOwner(kind: "Argo CD application", name: app, mark: "label argocd.argoproj.io/instance")
        }
        // `<app>:<group>/<kind>:<namespace>/<name>`
        if let tracking = annotations["argocd.argoproj.io/tracking-id"], let app = tracking.split(separator: ":").first {
            return GitOpsOwner(kind: "Argo CD application", name: String(app), mark: "annotation argocd.argoproj.io/tracking-id")
        }
        // Flux leaves an object annotated this way alone: a live change to it stays.
        if let name = labels["kustomize.toolkit.fluxcd.io/name"], annotations["kustomize.toolkit.fluxcd.io/reconcile"] != "disabled" {
            return GitOpsOwner(kind: "Flux Kustomization", name: name, mark: "label kustomize.toolkit.fluxcd.io/name")
        }
        if let name = labels["helm.toolkit.fluxcd.io/name"] {
            return GitOpsOwner(kind: "Flux HelmRelease", name: name, mark: "label helm.toolkit.fluxcd.io/name")
        }
        return nil
    }
}
