import Foundation
import Testing
@testable import MedicKube

/// What one watch event makes `medic run` look at again: the object alone when the change
/// stays with it, its whole namespace when it can reach other targets there.
@Suite struct ClusterChangesTests {
    static func pod(restarts: Int, ready: Bool = true) -> Pod {
        Pod(metadata: ObjectMeta(name: "api-1", namespace: "shop"),
            spec: PodSpec(containers: [Container(name: "api", image: "shop/api:1")]),
            status: PodStatus(phase: "Running", containerStatuses: [
                ContainerStatus(name: "api", ready: ready, restartCount: restarts, image: "shop/api:1"),
            ]))
    }

    let api = ObjectRef(kind: "Pod", namespace: "shop", name: "api-1")

    @Test func aPodThatTurnsUnreadyOrRestartsTouchesItself() {
        #expect(ClusterChanges.of(Self.pod(restarts: 2, ready: false), old: Self.pod(restarts: 2)) == ClusterChanges(objects: [api]))
        // A restart with no new last words: its crash log reaches the namespace, once fetched,
        // only if it says something new (ClusterView.namespacesWithOtherCrashLogs).
        #expect(ClusterChanges.of(Self.pod(restarts: 3), old: Self.pod(restarts: 2)) == ClusterChanges(objects: [api]))
        var owned = Self.pod(restarts: 0)
        owned.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-7c9", uid: "u1", controller: true)]
        #expect(ClusterChanges.of(owned, old: nil)
            == ClusterChanges(objects: [api, ObjectRef(kind: "ReplicaSet", namespace: "shop", name: "api-7c9")]))
    }

    @Test func aContainerThatEndsWithAMessageBeforeItsRestartIsCountedTouchesItsNamespace() {
        var owned = Self.pod(restarts: 2)
        owned.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-7c9", uid: "u1", controller: true)]
        var ended = owned
        ended.status.containerStatuses[0].state = ContainerState(
            terminated: ContainerStateTerminated(exitCode: 1, reason: "Error", message: "dial tcp db:5432: connection refused"))
        let replicaSet = ObjectRef(kind: "ReplicaSet", namespace: "shop", name: "api-7c9")
        // Its last words name the Services it calls, wherever they are in the namespace.
        #expect(ClusterChanges.of(ended, old: owned) == ClusterChanges(objects: [api, replicaSet], namespaces: ["shop"]))
        #expect(ClusterChanges.of(ended, old: ended) == ClusterChanges(objects: [api, replicaSet]))
        // Deleted (the watch's DELETED event carries the object as it was last): its last words
        // go; a crash-looping pod that said nothing takes only its own workload.
        #expect(ClusterChanges.of(ended, old: nil) == ClusterChanges(objects: [api, replicaSet], namespaces: ["shop"]))
        #expect(ClusterChanges.of(owned, old: nil) == ClusterChanges(objects: [api, replicaSet]))
    }

    @Test func aBarePodThatComesGoesOrIsRelabelledTouchesItsNamespace() {
        // A pod of no controller is a workload of its own: which Services select it is new.
        let shop = ClusterChanges(objects: [api], namespaces: ["shop"])
        #expect(ClusterChanges.of(Self.pod(restarts: 0), old: nil) == shop)
        var relabelled = Self.pod(restarts: 0)
        relabelled.metadata.labels["app"] = "api"
        #expect(ClusterChanges.of(relabelled, old: Self.pod(restarts: 0)) == shop)
        #expect(ClusterChanges.of(Self.pod(restarts: 0, ready: false), old: Self.pod(restarts: 0)) == ClusterChanges(objects: [api]))
    }

    @Test func aScaleTouchesTheWorkloadAndANewTemplateItsNamespace() throws {
        let deployment = try JSONDecoder().decode(Deployment.self, from: Data("""
            {"metadata": {"name": "api", "namespace": "shop"},
             "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
                      "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "api", "image": "shop/api:1"}]}}}}
            """.utf8))
        let ref = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
        var scaled = deployment
        scaled.spec.replicas = 5
        #expect(ClusterChanges.of(scaled, old: deployment) == ClusterChanges(objects: [ref]))
        var rolled = deployment
        rolled.spec.template.spec.containers[0].image = "shop/api:2"
        #expect(ClusterChanges.of(rolled, old: deployment) == ClusterChanges(objects: [ref], namespaces: ["shop"]))
        var reselected = deployment
        reselected.spec.selector = LabelSelector(matchLabels: ["app": "api", "tier": "web"])
        #expect(ClusterChanges.of(reselected, old: deployment) == ClusterChanges(objects: [ref], namespaces: ["shop"]))
    }

    @Test func anEventTouchesWhatItIsAboutAndAServiceItsNamespace() throws {
        let event = try JSONDecoder().decode(Event.self, from: Data("""
            {"metadata": {"name": "api-1.1", "namespace": "shop"}, "reason": "BackOff",
             "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "shop"}}
            """.utf8))
        #expect(ClusterChanges.of(event, old: nil) == ClusterChanges(objects: [api]))
        let service = try JSONDecoder().decode(Service.self, from: Data("""
            {"metadata": {"name": "api", "namespace": "shop"}, "spec": {"selector": {"app": "api"}}}
            """.utf8))
        #expect(ClusterChanges.of(service, old: nil)
            == ClusterChanges(objects: [ObjectRef(kind: "Service", namespace: "shop", name: "api")], namespaces: ["shop"]))
        var merged = ClusterChanges.of(event, old: nil)
        merged.merge(.of(event, old: event))
        #expect(merged == ClusterChanges(objects: [api]), "one entry however often it changes")
    }
}
