import MedicKube
import MedicRemediation

/// What apply mode needs, derived from MedicRemediation: every action aimed at every kind it
/// accepts, rendered to the API request medic sends; plus `get` on the target when the
/// request is built from the live object (the `set-*` actions).
enum ActionPermissions {
    static let kinds: [KubeResource] = [
        Deployment.resource, StatefulSet.resource, DaemonSet.resource, ReplicaSet.resource, Job.resource,
        Service.resource, Pod.resource, Namespace.resource,
    ]

    /// One instance of each action. The switch is exhaustive on purpose: a new action does not
    /// compile here until its permissions are considered.
    static func sample(_ kind: ActionKind) -> Action {
        switch kind {
        case .rolloutRestart: .rolloutRestart
        case .setEnv: .setEnv(container: "app", variables: [EnvAssignment(name: "MODE", value: "safe")])
        case .unsetEnv: .unsetEnv(container: "app", names: ["DEBUG"])
        case .setImage: .setImage(container: "app", image: "registry.example.com/app:2")
        case .rolloutUndo: .rolloutUndo(toRevision: nil)
        case .setResources: .setResources(container: "app", limits: ["memory": "256Mi"], requests: [:])
        case .patchProbe: .patchProbe(container: "app", probe: .liveness, handler: .httpGet, port: 8080)
        case .patchSelector: .patchSelector(selector: ["app": "web"], remove: ["tier"])
        case .scale: .scale(replicas: 3)
        case .deletePod: .deletePod(name: "web-7d9f-abcde")
        case .notify: .notify(message: "look at this")
        }
    }

    static let current = PodTemplateSnapshot(containers: [
        .init(name: "app", image: "registry.example.com/app:1", env: [.init(name: "DEBUG", value: "1")],
              limits: ["memory": "128Mi"]),
    ])

    /// One request apply mode sends, and why.
    struct Need {
        var why: String
        var method: String
        var path: String
        var permission: Permission
    }

    /// Every request medic's actions send, over every action and every kind it accepts.
    static func needs() throws -> [Need] {
        var needs: [Need] = []
        for actionKind in ActionKind.allCases {
            for kind in kinds {
                let remediation = Remediation(target: ObjectRef(kind: kind.kind, namespace: "shop", name: "web"),
                                              action: sample(actionKind))
                guard (try? remediation.validate()) != nil else { continue }
                let why = "\(actionKind.rawValue) on \(kind.kind)"
                switch refusal(of: remediation) {
                case .needsCurrentState?:
                    let path = kind.path(namespace: "shop", name: "web")
                    needs.append(Need(why: why + " (reads the live object)", method: "GET", path: path,
                                      permission: try Permission(method: "GET", path: path)))
                case .notRenderable?:
                    continue
                default:
                    break
                }
                guard let request = try remediation.apiRequest(current: current) else {
                    throw TestFailure("\(why): the sample change is already in place, so nothing was rendered")
                }
                needs.append(Need(why: why, method: request.method, path: request.path,
                                  permission: try Permission(method: request.method, path: request.path)))
            }
        }
        return needs
    }

    /// Why the request cannot be built without the live object, if it cannot.
    private static func refusal(of remediation: Remediation) -> RemediationError.Code? {
        do {
            _ = try remediation.apiRequest(dryRun: false)
            return nil
        } catch {
            return error.code
        }
    }
}
