import MedicKube
import Foundation
import MedicHTTP
import Testing
@testable import KubeSim

@Suite(.timeLimit(.minutes(1)))
struct KubeSimStoreTests {
    static let incident = """
        {"kind":"List","apiVersion":"v1","items":[
         {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"prod","uid":"d-1","generation":4,
          "annotations":{"deployment.kubernetes.io/revision":"4"}},
          "spec":{"replicas":1,"selector":{"matchLabels":{"app":"api"}},
                  "template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"app","image":"api:2"}]}}},
          "status":{"observedGeneration":4,"replicas":1,"unavailableReplicas":1}},
         {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"api-abc","namespace":"prod","uid":"rs-1","generation":1,
          "labels":{"app":"api","pod-template-hash":"abc"},"annotations":{"deployment.kubernetes.io/revision":"4"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"api","uid":"d-1","controller":true}]},
          "spec":{"replicas":1,"selector":{"matchLabels":{"app":"api","pod-template-hash":"abc"}},
                  "template":{"metadata":{"labels":{"app":"api","pod-template-hash":"abc"}},"spec":{"containers":[{"name":"app","image":"api:2"}]}}},
          "status":{"observedGeneration":1,"replicas":1}},
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-abc-xyz12","namespace":"prod","uid":"p-1",
          "labels":{"app":"api","pod-template-hash":"abc"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"api-abc","uid":"rs-1","controller":true}]},
          "spec":{"containers":[{"name":"app","image":"api:2"}]},
          "status":{"phase":"Running","containerStatuses":[{"name":"app","ready":false,"restartCount":7,
            "state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}]}
        """

    @Test func loadedIncidentIsNotRewritten() throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.incident)
        #expect(sim.objects(.replicaSet).map { ClusterState.name($0) } == ["api-abc"])
        let pods = sim.objects(.pod, namespace: "prod")
        #expect(pods.map { ClusterState.name($0) } == ["api-abc-xyz12"])
        #expect(pods.first?[path: ["status", "containerStatuses"]]?.array?.first?["restartCount"] == 7)
        #expect(sim.get(.deployment, namespace: "prod", name: "api")?["status"]
            == ["observedGeneration": 4, "replicas": 1, "unavailableReplicas": 1])
        #expect(sim.get(.namespace, namespace: "", name: "prod") != nil)
    }

    @Test func deletingAPodMakesTheReplicaSetReplaceIt() throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.incident)
        try sim.delete(.pod, namespace: "prod", name: "api-abc-xyz12")
        let pods = sim.objects(.pod, namespace: "prod")
        #expect(pods.count == 1)
        #expect(pods.first.map { ClusterState.name($0).hasPrefix("api-abc-") && ClusterState.name($0) != "api-abc-xyz12" } == true)
        #expect(pods.first?[path: ["status", "phase"]] == "Running")
    }

    /// The Endpoints controller follows a pod across Services when its labels change: the
    /// Service that selected it drops it and the one that selects it now lists it, while a
    /// Service in another namespace with the same selector is not touched.
    @Test func aRelabelledPodMovesBetweenServicesEndpoints() throws {
        func service(_ name: String, _ namespace: String, _ app: String) -> String {
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"\(name)","namespace":"\(namespace)"},
             "spec":{"selector":{"app":"\(app)"},"ports":[{"port":80,"targetPort":8080}]}}
            """
        }
        let sim = KubeSim()
        try sim.load(manifests: """
            {"kind":"List","apiVersion":"v1","items":[\(service("web", "prod", "web")),\(service("api", "prod", "api")),
             \(service("web", "stage", "web")),
             {"apiVersion":"v1","kind":"Pod","metadata":{"name":"one","namespace":"prod","labels":{"app":"web"}},
              "spec":{"nodeName":"kube-sim","containers":[{"name":"app","image":"web:1"}]},
              "status":{"phase":"Running","podIP":"10.0.0.7","conditions":[{"type":"Ready","status":"True"}]}}]}
            """)
        func addresses(_ namespace: String, _ name: String) -> [String] {
            (sim.get(.endpoints, namespace: namespace, name: name)?["subsets"]?.array ?? []).flatMap { subset in
                (subset["addresses"]?.array ?? []).compactMap { $0[path: ["targetRef", "name"]]?.string }
            }
        }
        #expect(addresses("prod", "web") == ["one"])
        #expect(addresses("prod", "api").isEmpty)
        let stageVersion = sim.get(.endpoints, namespace: "stage", name: "web")?[path: ["metadata", "resourceVersion"]]
        _ = try sim.state.withLock { state in
            try state.patch(.pod, namespace: "prod", name: "one", patch: ["metadata": ["labels": ["app": "api"]]],
                            patchType: .merge, subresource: nil, dryRun: false)
        }
        #expect(addresses("prod", "web").isEmpty)
        #expect(addresses("prod", "api") == ["one"])
        #expect(sim.get(.endpoints, namespace: "stage", name: "web")?[path: ["metadata", "resourceVersion"]] == stageVersion)
        try sim.delete(.pod, namespace: "prod", name: "one")
        #expect(addresses("prod", "api").isEmpty)
    }

    @Test func staleResourceVersionOnUpdateIsAConflict() async throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.incident)
        let server = try await sim.start()
        var lease: JSON = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                           "metadata": ["name": "medic", "namespace": "prod"], "spec": ["holderIdentity": "a"]]
        let base = "\(server.baseURL)/apis/coordination.k8s.io/v1/namespaces/prod/leases"
        let client = HTTPClient()
        let created = try await client.send(.init(method: "POST", url: base, headers: ["Content-Type": "application/json"],
                                                  body: lease.serialized()))
        #expect(created.status == 201)
        lease[path: ["metadata", "resourceVersion"]] = "1"
        let conflict = try await client.send(.init(method: "PUT", url: "\(base)/medic",
                                                   headers: ["Content-Type": "application/json"], body: lease.serialized()))
        #expect(conflict.status == 409)
        #expect(try JSON(parsing: conflict.body)["message"]
            == "Operation cannot be fulfilled on leases.coordination.k8s.io \"medic\": the object has been modified; please apply your changes to the latest version and try again")
        let again = try await client.send(.init(method: "POST", url: base, headers: ["Content-Type": "application/json"],
                                                body: lease.serialized()))
        #expect(try JSON(parsing: again.body)["reason"] == "AlreadyExists")
        await server.stop()
    }

    /// DeleteOptions' preconditions, as the apiserver checks them: another uid or
    /// resourceVersion is a 409 that deletes nothing; the object's own deletes it.
    @Test func deletePreconditionsMustMatchTheObject() async throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.incident)
        let server = try await sim.start()
        let url = "\(server.baseURL)/api/v1/namespaces/prod/pods/api-abc-xyz12"
        let version = try #require(sim.get(.pod, namespace: "prod", name: "api-abc-xyz12")?[path: ["metadata", "resourceVersion"]]?.string)
        let client = HTTPClient()
        func delete(uid: String, resourceVersion: String) async throws -> HTTPResponse {
            let body = #"{"preconditions":{"uid":"\#(uid)","resourceVersion":"\#(resourceVersion)"}}"#
            return try await client.send(.init(method: "DELETE", url: url, headers: ["Content-Type": "application/json"],
                                               body: Data(body.utf8)))
        }
        let otherUID = try await delete(uid: "p-2", resourceVersion: version)
        #expect(otherUID.status == 409)
        #expect(try JSON(parsing: otherUID.body)["message"]
            == "Operation cannot be fulfilled on pods \"api-abc-xyz12\": Precondition failed: UID in precondition: p-2, UID in object meta: p-1")
        let stale = try await delete(uid: "p-1", resourceVersion: "0")
        #expect(stale.status == 409)
        #expect(try JSON(parsing: stale.body)["reason"] == "Conflict")
        #expect(sim.get(.pod, namespace: "prod", name: "api-abc-xyz12") != nil)
        #expect(try await delete(uid: "p-1", resourceVersion: version).status == 200)
        #expect(sim.get(.pod, namespace: "prod", name: "api-abc-xyz12")?[path: ["metadata", "uid"]] != "p-1")
        await server.stop()
    }

    @Test func watchFromACompactedVersionGetsExpired() async throws {
        let sim = KubeSim(watchHistory: 2)
        try sim.load(manifests: Self.incident)
        let server = try await sim.start()
        let response = try await HTTPClient().send(.init(
            url: "\(server.baseURL)/api/v1/namespaces/prod/pods?watch=true&resourceVersion=1001&timeoutSeconds=2"))
        #expect(response.status == 200)
        let event = try JSON(parsing: response.body)
        #expect(event["type"] == "ERROR")
        #expect(event[path: ["object", "code"]] == 410)
        #expect(event[path: ["object", "reason"]] == "Expired")
        await server.stop()
    }

    @Test func watchStreamsChangesAfterTheGivenVersion() async throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.incident)
        let server = try await sim.start()
        let version = sim.resourceVersion
        try sim.delete(.pod, namespace: "prod", name: "api-abc-xyz12")
        let response = try await HTTPClient().send(.init(
            url: "\(server.baseURL)/api/v1/namespaces/prod/pods?watch=1&resourceVersion=\(version)&timeoutSeconds=1"))
        let events = try String(decoding: response.body, as: UTF8.self).split(separator: "\n").map { try JSON(parsing: String($0)) }
        #expect(events.map { $0["type"]?.string ?? "" } == ["DELETED", "ADDED"])
        #expect(events.first?[path: ["object", "metadata", "name"]] == "api-abc-xyz12")
        await server.stop()
    }
}
