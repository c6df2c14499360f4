/// The GitOps controller that owns an object, read from the marks Argo CD and Flux leave on
/// what they apply. A live change to such an object is reverted at the next sync (at once with
/// Argo CD's self-heal), so medic and the controller would flap: the change belongs in Git.
public struct GitOpsOwner: Sendable, Equatable, CustomStringConvertible {
    /// `Argo CD application` or `Flux Kustomization` / `Flux HelmRelease`.
    public var kind: String
    public var name: String
    /// Where medic read it: `label argocd.argoproj.io/instance`.
    public var mark: String
    /// The object that syncs it.
    public var syncer: Syncer
    /// The syncing object's namespace when the marks say it (Flux's `…/namespace` label, an
    /// Argo CD application in any namespace written `<namespace>_<name>`); nil otherwise.
    public var namespace: String?

    public var description: String { "\(kind) '\(name)' (\(mark))" }

    /// The custom resource that syncs an owned object, and how its sync is suspended.
    public enum Syncer: String, Sendable, CaseIterable {
        case argoCDApplication = "Application"
        case fluxKustomization = "Kustomization"
        case fluxHelmRelease = "HelmRelease"

        public var resource: KubeResource {
            switch self {
            case .argoCDApplication:
                KubeResource(group: "argoproj.io", version: "v1alpha1", plural: "applications", kind: rawValue, namespaced: true)
            case .fluxKustomization:
                KubeResource(group: "kustomize.toolkit.fluxcd.io", version: "v1", plural: "kustomizations", kind: rawValue, namespaced: true)
            case .fluxHelmRelease:
                KubeResource(group: "helm.toolkit.fluxcd.io", version: "v2", plural: "helmreleases", kind: rawValue, namespaced: true)
            }
        }

        /// Whether the syncing object, as the API server returned it, no longer reverts live
        /// changes: Flux's `spec.suspend: true`, or an Argo CD application without automated
        /// sync. nil when the object does not say (not this kind, or not an object at all).
        public func isSuspended(_ object: JSON) -> Bool? {
            guard object["kind"]?.string == rawValue, let spec = object["spec"], spec.object != nil else { return nil }
            switch self {
            case .argoCDApplication:
                guard let automated = spec[path: ["syncPolicy", "automated"]] else { return true }
                return automated == .null
            case .fluxKustomization, .fluxHelmRelease:
                return spec["suspend"]?.bool ?? false
            }
        }
    }

    /// The syncing object, in `namespace` when the marks do not name one: Argo CD applications
    /// live in Argo CD's namespace (`argocd` unless the policy says otherwise); Flux objects
    /// always carry their namespace label, so nil when it is missing.
    public func syncObject(argoCDNamespace: String) -> ObjectRef? {
        let namespace = self.namespace ?? (syncer == .argoCDApplication ? argoCDNamespace : nil)
        return namespace.map { ObjectRef(kind: syncer.rawValue, namespace: $0, name: name) }
    }

    public static func of(labels: [String: String], annotations: [String: String]) -> GitOpsOwner? {
        if let app = labels["argocd.argoproj.io/instance"] {
            return argoCD(app, mark: "label argocd.argoproj.io/instance")
        }
        // `<app>:<group>/<kind>:<namespace>/<name>`
        if let tracking = annotations["argocd.argoproj.io/tracking-id"], let app = tracking.split(separator: ":").first {
            return argoCD(String(app), mark: "annotation argocd.argoproj.io/tracking-id")
        }
        // Flux leaves an object annotated this way alone: a live change to it stays.
        if let name = labels["kustomize.toolkit.fluxcd.io/name"], annotations["kustomize.toolkit.fluxcd.io/reconcile"] != "disabled" {
            return GitOpsOwner(kind: "Flux Kustomization", name: name, mark: "label kustomize.toolkit.fluxcd.io/name",
                               syncer: .fluxKustomization, namespace: labels["kustomize.toolkit.fluxcd.io/namespace"])
        }
        if let name = labels["helm.toolkit.fluxcd.io/name"] {
            return GitOpsOwner(kind: "Flux HelmRelease", name: name, mark: "label helm.toolkit.fluxcd.io/name",
                               syncer: .fluxHelmRelease, namespace: labels["helm.toolkit.fluxcd.io/namespace"])
        }
        return nil
    }

    /// An application outside Argo CD's own namespace is named `<namespace>_<name>` (a `_`
    /// cannot occur in either part).
    private static func argoCD(_ value: String, mark: String) -> GitOpsOwner {
        let parts = value.split(separator: "_", maxSplits: 1).map(String.init)
        let (namespace, name) = parts.count == 2 ? (parts[0], parts[1]) : (nil, value)
        return GitOpsOwner(kind: "Argo CD application", name: name, mark: mark, syncer: .argoCDApplication, namespace: namespace)
    }
}
