import MedicKube

/// The kinds of object an action can act on, with where each lives in the API. Kept closed
/// on purpose: an action aimed at any other kind is refused rather than guessed at.
enum TargetKind: String, Sendable, CaseIterable {
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case service = "Service"
    case pod = "Pod"

    /// The workloads: objects with a pod template that the `set`/`rollout` verbs edit.
    static let workloads: [TargetKind] = [.deployment, .statefulSet, .daemonSet]

    var isWorkload: Bool { Self.workloads.contains(self) }

    /// The API group: "apps" for workloads, the core group ("") otherwise.
    var group: String { isWorkload ? "apps" : "" }

    var apiPrefix: String {
        isWorkload ? "/apis/apps/v1" : "/api/v1"
    }

    /// The plural resource name used in API paths.
    var resource: String { rawValue.lowercased() + "s" }

    func path(namespace: String, name: String, subresource: String? = nil) -> String {
        APIRequest.objectPath(apiPrefix: apiPrefix, namespace: namespace, resource: resource, name: name, subresource: subresource)
    }
}

extension ObjectRef {
    /// The singular type kubectl accepts on its command line: "deployment", "statefulset", "service", …
    var kubectlType: String { kind.lowercased() }

    /// `deployment/auth-service`, the form the `set`, `rollout` and `scale` verbs take.
    var kubectlTypeAndName: String { "\(kubectlType)/\(name)" }

    var targetKind: TargetKind? { TargetKind(rawValue: kind) }
}
