import Foundation
import MedicKube
import MedicRemediation
import Testing

/// The API requests, compared byte for byte with what kubectl 1.32 was seen to send
/// (k8s-api-facts §1.2, §1.3) against the seed Deployments `web` and `one`.
@Suite struct APIRequestTests {
    let web = Fixtures.deployment("web")
    let one = Fixtures.deployment("one")

    func request(_ target: ObjectRef, _ action: Action, current: PodTemplateSnapshot, dryRun: Bool = false) throws -> APIRequest? {
        try Remediation(target: target, action: action).apiRequest(current: current, options: RequestOptions(dryRun: dryRun))
    }

    @Test func setEnvWithoutContainerAddsToEveryContainer() throws {
        let request = try #require(try request(web, .setEnv(container: nil, variables: [.init(name: "NEWKEY", value: "V1")]), current: Fixtures.web))
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/demo/deployments/web")
        #expect(request.query == ["fieldManager": "kubectl-set"])
        #expect(request.pathAndQuery == "/apis/apps/v1/namespaces/demo/deployments/web?fieldManager=kubectl-set")
        #expect(request.contentType == "application/strategic-merge-patch+json")
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"KEEP"},{"name":"NEWKEY"}],"env":[{"name":"NEWKEY","value":"V1"}],"name":"c"},{"env":[{"name":"NEWKEY","value":"V1"}],"name":"sidecar"}]}}}}"#)
    }

    @Test func setEnvUpdatesAnExistingVariable() throws {
        let request = try #require(try request(web, .setEnv(container: nil, variables: [.init(name: "FOO", value: "baz")]), current: Fixtures.web))
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"KEEP"}],"env":[{"name":"FOO","value":"baz"}],"name":"c"},{"env":[{"name":"FOO","value":"baz"}],"name":"sidecar"}]}}}}"#)
    }

    @Test(arguments: [nil, "c"] as [String?])
    func unsetEnvDeletesWithADirective(container: String?) throws {
        let request = try #require(try request(web, .unsetEnv(container: container, names: ["FOO"]), current: Fixtures.web))
        #expect(request.query == ["fieldManager": "kubectl-set"])
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"KEEP"}],"env":[{"$patch":"delete","name":"FOO"}],"name":"c"}]}}}}"#)
    }

    @Test func unsetEnvOfTheLastVariableNullsTheList() throws {
        let request = try #require(try request(one, .unsetEnv(container: nil, names: ["ONLY"]), current: Fixtures.one))
        #expect(request.path == "/apis/apps/v1/namespaces/demo/deployments/one")
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"env":null,"name":"app"}]}}}}"#)
    }

    @Test func setImageChangesOneContainer() throws {
        let request = try #require(try request(web, .setImage(container: "c", image: "img:tag"), current: Fixtures.web))
        #expect(request.query == ["fieldManager": "kubectl-set"])
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"image":"img:tag","name":"c"}]}}}}"#)
    }

    @Test func setResourcesSendsOnlyTheNamedQuantities() throws {
        let first = try #require(try request(web, .setResources(container: "c", limits: ["memory": "128Mi"], requests: [:]), current: Fixtures.web))
        #expect(Fixtures.text(first.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"name":"c","resources":{"limits":{"memory":"128Mi"}}}]}}}}"#)
        let second = try #require(try request(one, .setResources(container: "app", limits: ["memory": "128Mi"], requests: ["cpu": "100m"]), current: Fixtures.one))
        #expect(Fixtures.text(second.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"name":"app","resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"100m"}}}]}}}}"#)
    }

    @Test func setResourcesSendsTheCanonicalQuantity() throws {
        let request = try #require(try request(one, .setResources(container: "app", limits: ["memory": "1024Mi", "cpu": "2000m"], requests: [:]), current: Fixtures.one))
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"name":"app","resources":{"limits":{"cpu":"2","memory":"1Gi"}}}]}}}}"#)
    }

    @Test func changesAlreadyInPlaceSendNothing() throws {
        #expect(try request(web, .setEnv(container: "c", variables: [.init(name: "FOO", value: "bar")]), current: Fixtures.web) == nil)
        #expect(try request(web, .setImage(container: "c", image: "nginx:1.25"), current: Fixtures.web) == nil)
        #expect(try request(web, .unsetEnv(container: nil, names: ["NOPE"]), current: Fixtures.web) == nil)
        #expect(try request(one, .setResources(container: "app", limits: ["cpu": "500m"], requests: [:]), current: Fixtures.one) == nil)
    }

    @Test func rolloutRestartStampsTheClientZone() throws {
        let remediation = Remediation(target: web, action: .rolloutRestart)
        let instant = Date(timeIntervalSince1970: 1_795_310_708) // 2026-11-22T01:25:08Z
        let utc = try remediation.apiRequest(RequestOptions(now: instant, timeZone: TimeZone(identifier: "UTC")!))
        #expect(utc.method == "PATCH")
        #expect(utc.path == "/apis/apps/v1/namespaces/demo/deployments/web")
        #expect(utc.query == ["fieldManager": "kubectl-rollout"])
        #expect(utc.contentType == "application/strategic-merge-patch+json")
        #expect(Fixtures.text(utc.body) == #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T01:25:08Z"}}}}}"#)
        let berlin = try remediation.apiRequest(RequestOptions(now: instant, timeZone: TimeZone(identifier: "Europe/Berlin")!))
        #expect(Fixtures.text(berlin.body) == #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T02:25:08+01:00"}}}}}"#)
    }

    @Test func scaleMergePatchesTheScaleSubresourceWithoutFieldManager() throws {
        let request = try Remediation(target: Fixtures.deployment("web", in: "default"), action: .scale(replicas: 3)).apiRequest()
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/default/deployments/web/scale")
        #expect(request.query == [:])
        #expect(request.pathAndQuery == "/apis/apps/v1/namespaces/default/deployments/web/scale")
        #expect(request.contentType == "application/merge-patch+json")
        #expect(Fixtures.text(request.body) == #"{"spec":{"replicas":3}}"#)
        let statefulSet = try Remediation(target: ObjectRef(kind: "StatefulSet", namespace: "data", name: "pg"), action: .scale(replicas: 0)).apiRequest()
        #expect(statefulSet.path == "/apis/apps/v1/namespaces/data/statefulsets/pg/scale")
        #expect(Fixtures.text(statefulSet.body) == #"{"spec":{"replicas":0}}"#)
    }

    @Test func patchProbeSendsTheCommandsPatchVerbatim() throws {
        let remediation = Remediation(target: web, action: .patchProbe(container: "c", probe: .liveness, handler: .httpGet, port: 3000))
        let request = try remediation.apiRequest()
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/demo/deployments/web")
        #expect(request.query == ["fieldManager": "kubectl-patch"])
        #expect(request.contentType == "application/strategic-merge-patch+json")
        #expect(Fixtures.text(request.body) == #"{"spec":{"template":{"spec":{"containers":[{"livenessProbe":{"exec":null,"grpc":null,"httpGet":{"port":3000},"tcpSocket":null},"name":"c"}]}}}}"#)
        #expect(Fixtures.text(request.body) == remediation.kubectlArguments?.last)
    }

    @Test func patchSelectorMergePatchesTheService() throws {
        let remediation = Remediation(target: ObjectRef(kind: "Service", namespace: "shop", name: "gateway"),
                                      action: .patchSelector(selector: ["app": "gateway"], remove: ["old"]))
        let request = try remediation.apiRequest()
        #expect(request.method == "PATCH")
        #expect(request.path == "/api/v1/namespaces/shop/services/gateway")
        #expect(request.query == ["fieldManager": "kubectl-patch"])
        #expect(request.contentType == "application/merge-patch+json")
        #expect(Fixtures.text(request.body) == #"{"spec":{"selector":{"app":"gateway","old":null}}}"#)
        #expect(Fixtures.text(request.body) == remediation.kubectlArguments?.last)
    }

    /// Observed with kubectl 1.32.5 against a logging fake server (not in the reference).
    @Test func deletePodSendsBackgroundDeleteOptions() throws {
        let request = try Remediation(target: web, action: .deletePod(name: "web-5d8f9c7b6-abcde")).apiRequest()
        #expect(request.method == "DELETE")
        #expect(request.path == "/api/v1/namespaces/demo/pods/web-5d8f9c7b6-abcde")
        #expect(request.query == [:])
        #expect(request.contentType == "application/json")
        #expect(Fixtures.text(request.body) == "{\"propagationPolicy\":\"Background\"}\n")
        let dry = try Remediation(target: ObjectRef(kind: "Pod", namespace: "demo", name: "web-5d8f9c7b6-abcde"),
                                  action: .deletePod(name: "web-5d8f9c7b6-abcde")).apiRequest(dryRun: true)
        #expect(dry.query == [:])
        #expect(Fixtures.text(dry.body) == "{\"propagationPolicy\":\"Background\",\"dryRun\":[\"All\"]}\n")
    }

    @Test func dryRunAddsDryRunAllNextToTheFieldManager() throws {
        let set = try #require(try request(web, .setImage(container: "c", image: "img:tag"), current: Fixtures.web, dryRun: true))
        #expect(set.query == ["dryRun": "All", "fieldManager": "kubectl-set"])
        #expect(set.pathAndQuery == "/apis/apps/v1/namespaces/demo/deployments/web?dryRun=All&fieldManager=kubectl-set")
        let patch = try Remediation(target: web, action: .patchProbe(container: "c", probe: .readiness, handler: .tcpSocket, port: 80)).apiRequest(dryRun: true)
        #expect(patch.pathAndQuery == "/apis/apps/v1/namespaces/demo/deployments/web?dryRun=All&fieldManager=kubectl-patch")
        let scale = try Remediation(target: web, action: .scale(replicas: 2)).apiRequest(dryRun: true)
        #expect(scale.pathAndQuery == "/apis/apps/v1/namespaces/demo/deployments/web/scale?dryRun=All")
        let restart = try Remediation(target: web, action: .rolloutRestart).apiRequest(dryRun: true)
        #expect(restart.query == ["dryRun": "All", "fieldManager": "kubectl-rollout"])
    }

    @Test func setActionsNeedTheLiveTemplate() {
        #expect(throws: RemediationError(.needsCurrentState, "set-image on Deployment demo/web: kubectl computes this patch from the live pod template; call apiRequest(current:) with a snapshot of deployment/web")) {
            try Remediation(target: web, action: .setImage(container: "c", image: "img:tag")).apiRequest()
        }
    }

    @Test func rolloutUndoNeedsTheReplicaSetsAndNotifyHasNoRequest() throws {
        #expect(throws: RemediationError(.needsCurrentState, "rollout-undo on Deployment demo/web: the request is built from the Deployment's ReplicaSets; use rolloutUndoRequest(deployment:replicaSets:)")) {
            try Remediation(target: web, action: .rolloutUndo(toRevision: nil)).apiRequest(current: Fixtures.web)
        }
        #expect(throws: RemediationError(.notRenderable, "notify on Deployment demo/web changes nothing, so there is no request to send")) {
            try Remediation(target: web, action: .notify(message: "look at the retry loop")).apiRequest()
        }
    }

    @Test func missingContainerIsNamed() {
        #expect(throws: RemediationError(.containerNotFound, "set-env on Deployment demo/web: no container named \"api\"; the pod template has c, sidecar")) {
            try Remediation(target: web, action: .setEnv(container: "api", variables: [.init(name: "A", value: "1")])).apiRequest(current: Fixtures.web)
        }
    }

    /// Cases beyond the reference, observed with kubectl 1.32.5 against a logging fake server
    /// seeded with the same objects.
    @Test func matchesKubectlOnValueFromEmptyValuesAndEscaping() throws {
        let current = PodTemplateSnapshot(containers: [
            .init(name: "c", image: "nginx:1.25", env: [
                .init(name: "FOO", value: "bar"), .init(name: "KEEP", value: "yes"),
                .init(name: "DB_URL", hasValueFrom: true), .init(name: "MODE", value: "chaos"),
            ]),
            .init(name: "sidecar", image: "busybox:1.36"),
        ])
        let action = Action.setEnv(container: "c", variables: [
            .init(name: "DB_URL", value: "postgres://db"), .init(name: "MODE", value: ""), .init(name: "V", value: "<a&b>"),
        ])
        let set = try #require(try request(web, action, current: current))
        #expect(Fixtures.text(set.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"KEEP"},{"name":"DB_URL"},{"name":"MODE"},{"name":"V"}],"env":[{"name":"DB_URL","value":"postgres://db","valueFrom":null},{"name":"MODE","value":null},{"name":"V","value":"\u003ca\u0026b\u003e"}],"name":"c"}]}}}}"#)
        let unset = try #require(try request(web, .unsetEnv(container: nil, names: ["ZED", "KEEP"]), current: current))
        #expect(Fixtures.text(unset.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"DB_URL"},{"name":"MODE"}],"env":[{"$patch":"delete","name":"KEEP"}],"name":"c"}]}}}}"#)
    }

    @Test func statefulSetsAndDaemonSetsUseTheirOwnPaths() throws {
        let pg = ObjectRef(kind: "StatefulSet", namespace: "demo", name: "pg")
        let set = try #require(try request(pg, .setEnv(container: nil, variables: [.init(name: "P", value: "1")]),
                                           current: PodTemplateSnapshot(containers: [.init(name: "pg", image: "postgres:16")])))
        #expect(set.path == "/apis/apps/v1/namespaces/demo/statefulsets/pg")
        #expect(Fixtures.text(set.body) == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"pg"}],"containers":[{"env":[{"name":"P","value":"1"}],"name":"pg"}]}}}}"#)
        let restart = try Remediation(target: ObjectRef(kind: "DaemonSet", namespace: "demo", name: "agent"), action: .rolloutRestart)
            .apiRequest(RequestOptions(now: Date(timeIntervalSince1970: 1_795_314_879), timeZone: TimeZone(identifier: "Europe/Berlin")!))
        #expect(restart.path == "/apis/apps/v1/namespaces/demo/daemonsets/agent")
        #expect(Fixtures.text(restart.body) == #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T03:34:39+01:00"}}}}}"#)
    }
}
