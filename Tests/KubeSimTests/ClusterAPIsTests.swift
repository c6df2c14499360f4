import Foundation
import MedicHTTP
import MedicKube
import Testing
@testable import KubeSim

/// SelfSubjectAccessReview / SelfSubjectRulesReview from KubeSim's RBAC, metrics.k8s.io from
/// the scenario's model, and PersistentVolumeClaims with StorageClasses.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ClusterAPIsTests {
    static let token = "reader-token"
    static let rbac = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: shop}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: reader, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects: [{kind: ServiceAccount, name: reader, namespace: shop}]
        """

    func review(_ server: RunningKubeSim, _ path: String, _ body: String) async throws -> JSON {
        let response = try await HTTPClient().send(HTTPRequest(
            method: "POST", url: server.baseURL + "/apis/authorization.k8s.io/v1/" + path,
            headers: ["Authorization": "Bearer \(Self.token)", "Content-Type": "application/json"], body: Data(body.utf8)))
        #expect(response.status == 201)
        return try JSON(parsing: response.body)
    }

    @Test func accessReviewsAnswerFromTheServiceAccountsBindings() async throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.rbac)
        let server = try await sim.start(ServerOptions(rbac: RBACAuthorizer(serviceAccountTokens: [Self.token: "shop/reader"])))
        do {
            let list = try await review(server, "selfsubjectaccessreviews",
                                        #"{"spec":{"resourceAttributes":{"namespace":"shop","verb":"list","resource":"pods"}}}"#)
            #expect(list[path: ["status", "allowed"]] == true)
            let patch = try await review(server, "selfsubjectaccessreviews", #"{"spec":{"resourceAttributes":{"namespace":"shop","#
                + #""verb":"patch","group":"apps","resource":"deployments"}}}"#)
            #expect(patch[path: ["status", "allowed"]] == false)
            let rules = try await review(server, "selfsubjectrulesreviews", #"{"spec":{"namespace":"shop"}}"#)
            let resources = (rules[path: ["status", "resourceRules"]]?.array ?? []).map { $0["resources"] }
            #expect(resources.contains(["pods"]))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// kubectl sends the review in protobuf; a service-account token is judged by its bindings.
    @Test func kubectlAuthCanIAnswersForAServiceAccount() async throws {
        let certificates = try await TLSAuthenticationTests.Certificates()
        let sim = KubeSim()
        try sim.load(manifests: Self.rbac)
        let server = try await sim.start(ServerOptions(
            tls: .init(certificateFile: certificates.serverChain, privateKeyFile: certificates.serverKey),
            rbac: RBACAuthorizer(serviceAccountTokens: [Self.token: "shop/reader"])))
        do {
            let kubectl = try Kubectl(server: server, credentials: .token(Self.token))
            #expect(try await kubectl.succeed("auth", "can-i", "list", "pods", "-n", "shop") == "yes\n")
            let refused = try await kubectl.run("auth", "can-i", "patch", "deployments", "-n", "shop")
            #expect(refused.status == 1)
            #expect(refused.stdout == "no\n")
            let list = try await kubectl.succeed("auth", "can-i", "--list", "-n", "shop")
            #expect(list.split(separator: "\n").contains { $0.hasPrefix("pods ") && $0.hasSuffix("[get list]") }, "\(list)")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func kubectlAuthCanIAndTop() async throws {
        let sim = KubeSim()
        try sim.load(manifests: KubectlConformanceTests.manifest)
        let server = try await sim.start()
        do {
            let kubectl = try Kubectl(server: server)
            #expect(try await kubectl.succeed("auth", "can-i", "patch", "deployments", "-n", "demo") == "yes\n")
            let list = try await kubectl.succeed("auth", "can-i", "--list", "-n", "demo")
            #expect(list.contains("*.*"), "\(list)")
            let top = try await kubectl.succeed("top", "pods", "-n", "demo")
            let lines = top.split(separator: "\n")
            #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "CPU(cores)", "MEMORY(bytes)"])
            #expect(lines.count == 3, "\(top)")
            // No scenario plays: no CPU, and the model's 16Mi working set for each of the two
            // containers of an app it does not know.
            #expect(lines.dropFirst().allSatisfy { $0.contains(" 0m ") && $0.contains(" 32Mi ") }, "\(top)")
            let nodes = try await kubectl.succeed("top", "nodes")
            #expect(nodes.contains("kube-sim"), "\(nodes)")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static let storage = """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast}
        provisioner: kubesim.io/instant
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: local, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
        provisioner: rancher.io/local-path
        volumeBindingMode: WaitForFirstConsumer
        """

    func create(_ sim: KubeSim, _ type: ResourceType, _ body: JSON) throws -> JSON {
        try sim.state.withLock { state throws(APIError) in try state.create(type, namespace: "default", body: body, dryRun: false) }
    }

    static func claim(_ name: String, storageClass: String?) -> JSON {
        var spec: JSON = ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]
        if let storageClass { spec["storageClassName"] = .string(storageClass) }
        return ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": .string(name)], "spec": spec]
    }

    static func pod(_ name: String, claim: String) -> JSON {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
         "spec": ["containers": [["name": "app", "image": "app:1"]],
                  "volumes": [["name": "data", "persistentVolumeClaim": ["claimName": .string(claim)]]]]]
    }

    @Test func aStatefulSetGivesEachOrdinalItsClaimAndAReplacedPodGetsItBack() throws {
        let sim = KubeSim()
        try sim.load(manifests: """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
            provisioner: kubesim.io/instant
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: default}
            spec:
              replicas: 2
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers: [{name: db, image: db:1, volumeMounts: [{name: data, mountPath: /data}]}]
              volumeClaimTemplates:
              - metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            """)
        func claimOf(_ pod: String) -> String? {
            sim.get(.pod, name: pod)?[path: ["spec", "volumes"]]?.array?.first { $0["name"] == "data" }?[path: ["persistentVolumeClaim", "claimName"]]?.string
        }
        #expect(claimOf("db-0") == "data-db-0")
        #expect(claimOf("db-1") == "data-db-1")
        let claim = try #require(sim.get(.persistentVolumeClaim, name: "data-db-0"))
        #expect(claim[path: ["spec", "storageClassName"]] == "standard", "the default class, as admission fills it in")
        #expect(claim[path: ["status", "phase"]] == "Bound")
        let uid = ClusterState.uid(claim)
        try sim.delete(.pod, name: "db-0")
        #expect(claimOf("db-0") == "data-db-0")
        #expect(sim.get(.persistentVolumeClaim, name: "data-db-0").map(ClusterState.uid) == uid, "the same claim, not a new one")
        #expect(sim.objects(.persistentVolumeClaim).count == 2)
    }

    @Test func claimsBindOrWaitAndPodsWithUnboundImmediateClaimsStayPending() throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.storage)
        let fast = try create(sim, .persistentVolumeClaim, Self.claim("fast-data", storageClass: "fast"))
        #expect(fast[path: ["status", "phase"]] == "Bound")
        #expect(fast[path: ["spec", "volumeName"]] == .string("pvc-\(ClusterState.uid(fast))"))
        #expect(sim.get(.persistentVolume, namespace: "", name: "pvc-\(ClusterState.uid(fast))") != nil)

        let missing = try create(sim, .persistentVolumeClaim, Self.claim("slow-data", storageClass: "slow"))
        #expect(missing[path: ["status", "phase"]] == "Pending")
        let failed = sim.objects(.event).first { $0["reason"] == "ProvisioningFailed" }
        #expect(failed?["message"] == "storageclass.storage.k8s.io \"slow\" not found")
        #expect(failed?["type"] == "Warning")

        let stuck = try create(sim, .pod, Self.pod("stuck", claim: "slow-data"))
        #expect(stuck[path: ["status", "phase"]] == "Pending")
        let scheduled = (stuck[path: ["status", "conditions"]]?.array ?? []).first { $0["type"] == "PodScheduled" }
        #expect(scheduled?["message"]?.string == "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
            + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")

        let waiting = try create(sim, .persistentVolumeClaim, Self.claim("local-data", storageClass: nil))
        #expect(waiting[path: ["spec", "storageClassName"]] == "local")
        #expect(waiting[path: ["status", "phase"]] == "Pending")
        let consumer = try create(sim, .pod, Self.pod("consumer", claim: "local-data"))
        #expect(consumer[path: ["spec", "nodeName"]] == "kube-sim")
        #expect(sim.get(.persistentVolumeClaim, name: "local-data")?[path: ["status", "phase"]] == "Bound")

        // The class appears: the claim binds and the stuck pod is scheduled.
        _ = try create(sim, .storageClass, ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                                            "metadata": ["name": "slow"], "provisioner": "kubesim.io/instant"])
        #expect(sim.get(.persistentVolumeClaim, name: "slow-data")?[path: ["status", "phase"]] == "Bound")
        #expect(sim.get(.pod, name: "stuck")?[path: ["spec", "nodeName"]] == "kube-sim")
    }
}
