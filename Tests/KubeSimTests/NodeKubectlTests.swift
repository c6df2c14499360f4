import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// Nodes, the scheduler's verdicts and quotas as the real kubectl shows and changes them.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct NodeKubectlTests {
    func withCluster(_ body: (KubeSim, Kubectl) async throws -> Void) async throws {
        let sim = KubeSim()
        sim.setNodes(SchedulerTests.nodes)
        let server = try await sim.start()
        do {
            try await body(sim, try Kubectl(server: server))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func rows(_ table: String) -> [[String]] {
        table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    }

    @Test func getCordonAndUncordonNodes() async throws {
        try await withCluster { sim, kubectl in
            let nodes = rows(try await kubectl.succeed("get", "nodes", "--no-headers"))
            #expect(nodes.map { $0[0] } == ["control-plane", "worker-1", "worker-2"])
            #expect(nodes.map { $0[1] } == ["Ready", "Ready", "Ready"])
            #expect(nodes.map { $0[2] } == ["control-plane", "<none>", "<none>"])
            #expect(nodes.allSatisfy { $0.last == "v1.32.0" })
            let wide = rows(try await kubectl.succeed("get", "nodes", "-o", "wide", "--no-headers"))
            #expect(wide.map { $0[5] } == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])

            #expect(try await kubectl.succeed("cordon", "worker-1") == "node/worker-1 cordoned\n")
            let cordoned = rows(try await kubectl.succeed("get", "node", "worker-1", "--no-headers"))
            #expect(cordoned.first?[1] == "Ready,SchedulingDisabled")
            #expect(sim.get(.node, namespace: "", name: "worker-1")?[path: ["spec", "taints"]]?.array?.first?["key"]
                == "node.kubernetes.io/unschedulable")
            #expect(try await kubectl.succeed("uncordon", "worker-1") == "node/worker-1 uncordoned\n")
            #expect(sim.get(.node, namespace: "", name: "worker-1")?[path: ["spec", "unschedulable"]] == nil)
        }
    }

    @Test func describeNodeShowsCapacityTaintsAndItsPods() async throws {
        try await withCluster { sim, kubectl in
            try sim.load(manifests: SchedulerTests.deployment("web", podSpec: """
                {"nodeSelector":{"pool":"a"},"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"500m","memory":"1Gi"}}}]}
                """))
            let describe = try await kubectl.succeed("describe", "node", "worker-1")
            #expect(describe.contains("Name:               worker-1"))
            #expect(describe.contains("pool=a"))
            #expect(describe.contains("Taints:             <none>"))
            #expect(describe.contains("Unschedulable:      false"))
            #expect(describe.contains("InternalIP:  10.0.0.2"))
            #expect(describe.contains("Kubelet Version:            v1.32.0"))
            #expect(describe.contains("Non-terminated Pods:          (1 in total)"))
            #expect(describe.contains("  cpu                500m (25%)  0 (0%)"))
            let control = try await kubectl.succeed("describe", "node", "control-plane")
            #expect(control.contains("Taints:             node-role.kubernetes.io/control-plane:NoSchedule"))
        }
    }

    @Test func describePendingPodShowsTheSchedulersEvent() async throws {
        try await withCluster { sim, kubectl in
            try sim.load(manifests: SchedulerTests.deployment("web", podSpec: """
                {"nodeSelector":{"pool":"c"},"containers":[{"name":"c","image":"nginx"}]}
                """))
            let pods = rows(try await kubectl.succeed("get", "pods", "-n", "shop", "-o", "wide", "--no-headers"))
            #expect(pods.first.map { Array($0[1...3]) } == ["0/1", "Pending", "0"])
            #expect(pods.first?[6] == "<none>")
            let name = try #require(pods.first?[0])
            let describe = try await kubectl.succeed("describe", "pod", "-n", "shop", name)
            #expect(describe.contains("Node:             <none>"))
            #expect(describe.contains("  PodScheduled   False"))
            #expect(describe.contains("Node-Selectors:              pool=c"))
            #expect(describe.contains("Warning  FailedScheduling"))
            #expect(describe.contains("default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. "
                + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."))
            let events = try await kubectl.succeed("get", "events", "-n", "shop", "--no-headers")
            #expect(events.contains("FailedScheduling"))
        }
    }

    @Test func quotaGetDescribeAndAForbiddenCreate() async throws {
        try await withCluster { sim, kubectl in
            try sim.load(manifests: ResourceQuotaTests.quota)
            try sim.load(manifests: ResourceQuotaTests.web(replicas: 3))
            let table = try await kubectl.succeed("get", "quota", "-n", "shop")
            #expect(table.contains("requests.cpu: 300m/2"))
            #expect(table.contains("limits.memory: 3Gi/4Gi"))
            let describe = try await kubectl.succeed("describe", "quota", "compute", "-n", "shop")
            #expect(describe.contains("limits.memory  3Gi   4Gi"))
            let file = kubectl.directory.appendingPathComponent("big.yaml")
            try """
                apiVersion: v1
                kind: Pod
                metadata: {name: big, namespace: shop}
                spec:
                  containers:
                  - {name: app, image: "web:1", resources: {limits: {memory: 2Gi, cpu: "1"}}}
                """.write(to: file, atomically: true, encoding: .utf8)
            let result = try await kubectl.run("create", "-f", file.path)
            #expect(result.status == 1)
            #expect(result.stderr.contains("Error from server (Forbidden): error when creating \"\(file.path)\": pods \"big\" is "
                + "forbidden: exceeded quota: compute, requested: limits.memory=2Gi, used: limits.memory=3Gi, limited: limits.memory=4Gi"))
        }
    }
}
