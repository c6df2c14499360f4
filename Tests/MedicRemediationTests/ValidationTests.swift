import MedicKube
import MedicRemediation
import Testing

/// What `validate()` refuses, and the words it uses.
@Suite struct ValidationTests {
    static let api = ObjectRef(kind: "Deployment", namespace: "prod", name: "api")

    func refusal(_ target: ObjectRef, _ action: Action) -> RemediationError? {
        do {
            try Remediation(target: target, action: action).validate()
            return nil
        } catch {
            return error
        }
    }

    func message(_ action: Action, on target: ObjectRef = api) -> String? {
        refusal(target, action)?.description
    }

    @Test func emptyNamesAreRefused() {
        #expect(message(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "", name: "api"))
            == "rollout-restart on Deployment /api: namespace is empty")
        #expect(message(.setImage(container: "", image: "img:1")) == "set-image on Deployment prod/api: container name is empty")
        #expect(message(.setImage(container: "app", image: "")) == "set-image on Deployment prod/api: image is empty")
        #expect(message(.unsetEnv(container: nil, names: [""])) == "unset-env on Deployment prod/api: environment variable name is empty")
        #expect(message(.notify(message: "")) == "notify on Deployment prod/api: notify message is empty")
    }

    @Test func leadingDashesWouldBeReadAsFlags() {
        #expect(message(.deletePod(name: "-rf")) == #"delete-pod on Deployment prod/api: pod name "-rf" starts with "-", so kubectl would read it as a flag"#)
        #expect(message(.setEnv(container: nil, variables: [.init(name: "-A", value: "1")]))
            == #"set-env on Deployment prod/api: environment variable name "-A" starts with "-", so kubectl would read it as a flag"#)
        #expect(message(.scale(replicas: 1), on: ObjectRef(kind: "Deployment", namespace: "--all-namespaces", name: "api"))
            == #"scale on Deployment --all-namespaces/api: namespace "--all-namespaces" starts with "-", so kubectl would read it as a flag"#)
    }

    @Test func nulBytesCannotBeCarried() {
        #expect(message(.setEnv(container: nil, variables: [.init(name: "A", value: "x\0y")]))
            == "set-env on Deployment prod/api: value of A contains a NUL byte, which no command line can carry")
        #expect(message(.notify(message: "a\0b")) == "notify on Deployment prod/api: notify message contains a NUL byte, which no command line can carry")
    }

    @Test func envNamesWithEqualsWouldSplitDifferently() {
        #expect(message(.setEnv(container: nil, variables: [.init(name: "A=B", value: "1")]))
            == #"set-env on Deployment prod/api: environment variable name "A=B" contains "=", so kubectl would split it into a different NAME=VALUE pair"#)
        #expect(message(.unsetEnv(container: nil, names: ["1ST"]))
            == #"unset-env on Deployment prod/api: environment variable name "1ST" is not valid: use letters, digits, "_", "-" and ".", not starting with a digit"#)
        #expect(message(.setEnv(container: nil, variables: [.init(name: "A", value: "1"), .init(name: "A", value: "2")]))
            == "set-env on Deployment prod/api: A is assigned twice; kubectl would keep only the first value")
    }

    @Test func namesKubernetesCannotHoldAreRefused() {
        #expect(message(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "prod", name: "$(rm -rf /)"))
            == #"rollout-restart on Deployment prod/$(rm -rf /): object name "$(rm -rf /)" is not a valid name: use at most 253 lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit"#)
        #expect(message(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "prod", name: "..")) != nil)
        #expect(message(.setImage(container: "app*", image: "img:1"))
            == #"set-image on Deployment prod/api: container name "app*" is not a valid name: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit"#)
        #expect(message(.setImage(container: "app", image: "img:1 --all")) == #"set-image on Deployment prod/api: image "img:1 --all" contains whitespace or control characters; no image reference does"#)
        #expect(message(.setImage(container: "app", image: "a=b")) == #"set-image on Deployment prod/api: image "a=b" contains "=", so kubectl would misread CONTAINER=IMAGE"#)
    }

    @Test func targetKindMustFitTheAction() {
        let service = ObjectRef(kind: "Service", namespace: "prod", name: "gateway")
        #expect(message(.patchSelector(selector: ["app": "api"], remove: []))
            == "patch-selector on Deployment prod/api: patch-selector needs a Service target, not a Deployment")
        #expect(message(.rolloutRestart, on: service)
            == "rollout-restart on Service prod/gateway: rollout-restart needs a Deployment or StatefulSet or DaemonSet target, not a Service")
        #expect(message(.scale(replicas: 2), on: ObjectRef(kind: "DaemonSet", namespace: "prod", name: "agent"))
            == "scale on DaemonSet prod/agent: scale needs a Deployment or StatefulSet target, not a DaemonSet")
        #expect(message(.deletePod(name: "api-1"), on: service)
            == "delete-pod on Service prod/gateway: delete-pod needs a Pod or Deployment or StatefulSet or DaemonSet target, not a Service")
        #expect(message(.deletePod(name: "other"), on: ObjectRef(kind: "Pod", namespace: "prod", name: "api-1"))
            == #"delete-pod on Pod prod/api-1: the pod to delete, "other", is not the target pod"#)
        #expect(message(.rolloutRestart, on: ObjectRef(kind: "CronJob", namespace: "prod", name: "nightly"))
            == #"rollout-restart on CronJob prod/nightly: unknown kind "CronJob"; medic acts only on Deployment, StatefulSet, DaemonSet, Service, Pod, Kustomization, HelmRelease, Application"#)
        #expect(refusal(service, .scale(replicas: 1))?.code == .wrongTargetKind)
    }

    @Test func numbersAndListsMustMakeSense() {
        #expect(message(.scale(replicas: -1)) == "scale on Deployment prod/api: replicas -1 is negative")
        #expect(message(.rolloutUndo(toRevision: 0)) == "rollout-undo on Deployment prod/api: revision 0 does not exist; revisions start at 1 (leave it out for the previous one)")
        #expect(message(.patchProbe(container: "app", probe: .liveness, handler: .httpGet, port: 70000)) == "patch-probe on Deployment prod/api: port 70000 is outside 1-65535")
        #expect(message(.setEnv(container: nil, variables: [])) == "set-env on Deployment prod/api: no variables to set")
        #expect(message(.setResources(container: nil, limits: [:], requests: [:])) == "set-resources on Deployment prod/api: no limits or requests to set")
        #expect(message(.setResources(container: nil, limits: ["memory": "0.5Gi"], requests: [:]))
            == #"set-resources on Deployment prod/api: limits.memory = "0.5Gi" is not a quantity medic can render: write a whole number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 128Mi or 500m"#)
        #expect(message(.setResources(container: nil, limits: ["memory,cpu": "1"], requests: [:]))
            == #"set-resources on Deployment prod/api: resource name "memory,cpu" in limits is not valid: use letters, digits, "-", ".", "_" and "/" (e.g. memory, cpu, nvidia.com/gpu)"#)
    }

    @Test func selectorsMustBeLabels() {
        let service = ObjectRef(kind: "Service", namespace: "shop", name: "gateway")
        #expect(message(.patchSelector(selector: ["app": "a b"], remove: []), on: service)
            == #"patch-selector on Service shop/gateway: selector value "a b" is not a valid label value: use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit"#)
        #expect(message(.patchSelector(selector: ["app": "x"], remove: ["app"]), on: service)
            == #"patch-selector on Service shop/gateway: selector key "app" is both set and removed"#)
        #expect(message(.patchSelector(selector: [:], remove: []), on: service) == "patch-selector on Service shop/gateway: no selector keys to set or remove")
        #expect(message(.patchSelector(selector: ["app.kubernetes.io/name": "gateway"], remove: ["tier"]), on: service) == nil)
    }

    @Test func apiRequestsValidateFirst() {
        #expect(throws: RemediationError(.invalidParameter, "scale on Deployment prod/api: replicas -3 is negative")) {
            try Remediation(target: Self.api, action: .scale(replicas: -3)).apiRequest()
        }
    }
}
