import MedicKube
import MedicRemediation

/// What apply mode needs, derived from MedicRemediation as MedicController's Executor uses
/// it: for every action aimed at every kind it accepts, the re-read of the target (`get`), the
/// ReplicaSets a rollback is built from (`list`), and the API request the action renders.
enum ActionPermissions {
    static let kinds: [KubeResource] = [
        Deployment.resource, StatefulSet.resource, DaemonSet.resource, ReplicaSet.resource, Job.resource,
        Service.resource, Pod.resource, Namespace.resource,
    ]

    /// One instance of each action: its descriptor's example, so a new action is covered as
    /// soon as it is registered.
    static func sample(_ kind: ActionKind) -> Action {
        Action(kind.descriptor.example)
    }

    /// The permissions the action's descriptor declares, as the RBAC manifests spell them.
    static func declared(_ kind: ActionKind) -> Set<Permission> {
        Set(kind.descriptor.permissions.map { Permission($0.verb, $0.group, $0.resource) })
    }

    static let current = PodTemplateSnapshot(containers: [
        .init(name: "app", image: "registry.example.com/app:1", env: [.init(name: "DEBUG", value: "1")],
              limits: ["memory": "128Mi"]),
    ])

    /// One request apply mode sends, and why.
    struct Need {
        var action: ActionKind
        var why: String
        var method: String
        var path: String
        var permission: Permission
    }

    /// Every request medic's actions send, over every action and every kind it accepts, aimed
    /// at objects in `namespace`.
    static func needs(in namespace: String = "production") throws -> [Need] {
        var needs: [Need] = []
        for actionKind in ActionKind.allCases {
            for kind in kinds {
                let target = ObjectRef(kind: kind.kind, namespace: namespace, name: "web")
                let remediation = Remediation(target: target, action: sample(actionKind))
                guard (try? remediation.validate()) != nil, actionKind != .notify,
                      let resource = KubeResource.known(kind: kind.kind) else { continue }
                let why = "\(actionKind.rawValue) on \(kind.kind)"
                let reread = resource.path(namespace: namespace, name: "web")
                needs.append(Need(action: actionKind, why: why + " (re-reads the target)", method: "GET", path: reread,
                                  permission: try Permission(method: "GET", path: reread)))
                let request: APIRequest?
                if actionKind == .rolloutUndo {
                    let replicaSets = ReplicaSet.resource.path(namespace: namespace)
                    needs.append(Need(action: actionKind, why: why + " (reads the revisions)", method: "GET", path: replicaSets,
                                      permission: try Permission(method: "GET", path: replicaSets)))
                    request = try remediation.rolloutUndoRequest(deployment: rollbackDeployment, replicaSets: rollbackReplicaSets)
                } else {
                    request = try remediation.apiRequest(current: current)
                }
                guard let request else {
                    throw TestFailure("\(why): the sample change is already in place, so nothing was rendered")
                }
                needs.append(Need(action: actionKind, why: why, method: request.method, path: request.path,
                                  permission: try Permission(method: request.method, path: request.path)))
            }
        }
        return needs
    }

    /// A Deployment at revision 2 with revision 1 to go back to.
    static let rollbackDeployment: JSON = [
        "metadata": ["uid": "d-1", "annotations": ["deployment.kubernetes.io/revision": "2"]],
        "spec": ["template": ["spec": ["containers": [["name": "app", "image": "app:2"]]]]],
    ]
    static let rollbackReplicaSets: [JSON] = ["1", "2"].map { revision in
        [
            "metadata": [
                "annotations": ["deployment.kubernetes.io/revision": .string(revision)],
                "ownerReferences": [["controller": true, "uid": "d-1"]],
            ],
            "spec": ["template": ["spec": ["containers": [["name": "app", "image": .string("app:\(revision)")]]]]],
        ]
    }
}
