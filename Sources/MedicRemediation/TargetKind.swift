import MedicKube

/// The kinds of object an action can act on, with where each lives in the API. Kept closed
/// on purpose: an action aimed at any other kind is refused rather than guessed at.
enum TargetKind: String, Sendable, CaseIterable {
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case service = "Service"
    case pod = "Pod"
    /// The objects that sync GitOps-owned ones (`suspend-sync` only).
    case kustomization = "Kustomization"
    case helmRelease = "HelmRelease"
    case application = "Application"

    /// The workloads: objects with a pod template that the `set`/`rollout` verbs edit.
    static let workloads: [TargetKind] = [.deployment, .statefulSet, .daemonSet]

    /// Argo CD's and Flux's syncing objects.
    static let syncers: [TargetKind] = GitOpsOwner.Syncer.allCases.map { TargetKind(rawValue: $0.rawValue)! }

    var isWorkload: Bool { Self.workloads.contains(self) }

    var apiResource: KubeResource {
        switch self {
        case .deployment: Deployment.resource
        case .statefulSet: StatefulSet.resource
        case .daemonSet: DaemonSet.resource
        case .service: Service.resource
        case .pod: Pod.resource
        case .kustomization, .helmRelease, .application: GitOpsOwner.Syncer(rawValue: rawValue)!.resource
        }
    }

    /// The API group: "apps" for workloads, the core group ("") for Services and pods.
    var group: String { apiResource.group }

    /// The plural resource name used in API paths.
    var resource: String { apiResource.plural }

    func path(namespace: String, name: String, subresource: String? = nil) -> String {
        apiResource.path(namespace: namespace, name: name, subresource: subresource)
    }
}

extension ObjectRef {
    /// The type kubectl accepts on its command line: "deployment", "service", …; a custom
    /// resource by its full name (`kustomizations.kustomize.toolkit.fluxcd.io`), which no other
    /// installed resource can shadow.
    var kubectlType: String {
        guard let kind = targetKind, TargetKind.syncers.contains(kind) else { return kind.lowercased() }
        return kind.apiResource.groupResource
    }

    /// `deployment/auth-service`, the form the `set`, `rollout` and `scale` verbs take.
    var kubectlTypeAndName: String { "\(kubectlType)/\(name)" }

    var targetKind: TargetKind? { TargetKind(rawValue: kind) }
}
