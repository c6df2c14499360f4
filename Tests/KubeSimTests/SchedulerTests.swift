import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// The scheduler model: where pods go, and kube-scheduler's words when they go nowhere.
@Suite(.timeLimit(.minutes(1)))
struct SchedulerTests {
    /// A kubeadm-like cluster: a tainted control plane and two workers in pools a and b.
    static let nodes = [
        ClusterNode(name: "control-plane", capacity: .init(cpu: "2", memory: "4Gi"),
                    labels: ["node-role.kubernetes.io/control-plane": ""],
                    taints: [.init(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")],
                    internalIP: "10.0.0.1"),
        ClusterNode(name: "worker-1", capacity: .init(cpu: "2", memory: "4Gi"), labels: ["pool": "a"], internalIP: "10.0.0.2"),
        ClusterNode(name: "worker-2", capacity: .init(cpu: "2", memory: "4Gi"), labels: ["pool": "b"], internalIP: "10.0.0.3"),
    ]

    static func deployment(_ name: String, replicas: Int = 1, podSpec: String) -> String {
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\(name)","namespace":"shop"},
         "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"app":"\(name)"}},
          "template":{"metadata":{"labels":{"app":"\(name)"}},"spec":\(podSpec)}}}
        """
    }

    func cluster() -> KubeSim {
        let sim = KubeSim()
        sim.setNodes(Self.nodes)
        return sim
    }

    func pods(_ sim: KubeSim, _ app: String) -> [JSON] {
        sim.objects(.pod, namespace: "shop").filter { $0[path: ["metadata", "labels", "app"]]?.string == app }
    }

    func scheduledCondition(_ pod: JSON) -> JSON? {
        (pod[path: ["status", "conditions"]]?.array ?? []).first { $0["type"]?.string == "PodScheduled" }
    }

    func events(_ sim: KubeSim, about pod: JSON) -> [JSON] {
        sim.objects(.event, namespace: "shop").filter { $0[path: ["involvedObject", "uid"]]?.string == ClusterState.uid(pod) }
    }

    @Test func theStandardNodeKeepsTodaysBehaviour() throws {
        let sim = KubeSim()
        #expect(sim.objects(.node).map(ClusterState.name) == ["kube-sim"])
        try sim.load(manifests: Self.deployment("web", replicas: 2, podSpec: #"{"containers":[{"name":"c","image":"nginx"}]}"#))
        let pods = pods(sim, "web")
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0[path: ["spec", "nodeName"]] == "kube-sim" && $0[path: ["status", "hostIP"]] == "10.0.0.1" })
        #expect(pods.allSatisfy { $0[path: ["status", "phase"]] == "Running" })
        #expect(sim.objects(.event, namespace: "shop").isEmpty)
    }

    @Test func podsGoToANodeTheyFitAndGetAScheduledEvent() throws {
        let sim = cluster()
        try sim.load(manifests: Self.deployment("web", podSpec: #"{"nodeSelector":{"pool":"b"},"containers":[{"name":"c","image":"nginx"}]}"#))
        let pod = try #require(pods(sim, "web").first)
        #expect(pod[path: ["spec", "nodeName"]] == "worker-2")
        #expect(pod[path: ["status", "hostIP"]] == "10.0.0.3")
        let event = try #require(events(sim, about: pod).first)
        #expect(event["reason"] == "Scheduled")
        #expect(event["message"] == .string("Successfully assigned shop/\(ClusterState.name(pod)) to worker-2"))
        #expect(event["reportingComponent"] == "default-scheduler")
        #expect(event["action"] == "Binding")
    }

    @Test func aSelectorNoWorkerMatchesGivesKubeSchedulersMessage() throws {
        let sim = cluster()
        try sim.load(manifests: Self.deployment("web", podSpec: #"{"nodeSelector":{"pool":"c"},"containers":[{"name":"c","image":"nginx"}]}"#))
        let pod = try #require(pods(sim, "web").first)
        let message = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            + "2 node(s) didn't match Pod's node affinity/selector. "
            + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        #expect(pod[path: ["spec", "nodeName"]] == nil)
        #expect(pod[path: ["status", "phase"]] == "Pending")
        let condition = try #require(scheduledCondition(pod))
        #expect(condition["status"] == "False")
        #expect(condition["reason"] == "Unschedulable")
        #expect(condition["message"] == .string(message))
        let event = try #require(events(sim, about: pod).first)
        #expect(event["type"] == "Warning")
        #expect(event["reason"] == "FailedScheduling")
        #expect(event["message"] == .string(message))
        #expect(event["reportingComponent"] == "default-scheduler")
        #expect(event["eventTime"]?.string?.hasSuffix("Z") == true)
        let deployment = try #require(sim.get(.deployment, namespace: "shop", name: "web"))
        #expect(deployment[path: ["status", "readyReplicas"]] == nil)
    }

    @Test func requestsCountAgainstAllocatableMinusWhatBoundPodsRequest() throws {
        let sim = cluster()
        let spec = #"{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"1500m","memory":"1Gi"}}}]}"#
        try sim.load(manifests: Self.deployment("web", replicas: 3, podSpec: spec))
        let all = pods(sim, "web")
        #expect(Set(all.compactMap { $0[path: ["spec", "nodeName"]]?.string }) == ["worker-1", "worker-2"])
        let pending = try #require(all.first { $0[path: ["spec", "nodeName"]] == nil })
        #expect(scheduledCondition(pending)?["message"] == """
            0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
            2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, \
            2 No preemption victims found for incoming pod.
            """)

        // A bound pod going away frees its node: the Pending one is scheduled at once.
        try sim.delete(.deployment, namespace: "shop", name: "web")
        try sim.load(manifests: Self.deployment("big", podSpec:
            #"{"tolerations":[{"operator":"Exists"}],"containers":[{"name":"c","image":"nginx","resources":{"limits":{"cpu":"3","memory":"1Gi"}}}]}"#))
        let big = try #require(pods(sim, "big").first)
        #expect(scheduledCondition(big)?["message"] == """
            0/3 nodes are available: 3 Insufficient cpu. \
            preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
            """)
        #expect(big[path: ["status", "qosClass"]] == "Guaranteed")
    }

    @Test func cordonTaintsTheNodeAndUncordonSchedulesWhatWaited() throws {
        let sim = cluster()
        for name in ["worker-1", "worker-2"] {
            var node = try #require(sim.get(.node, namespace: "", name: name))
            node[path: ["spec", "unschedulable"]] = true
            try sim.put(node)
        }
        let cordoned = try #require(sim.get(.node, namespace: "", name: "worker-1"))
        #expect(cordoned[path: ["spec", "taints"]]?.array?.first?["key"] == "node.kubernetes.io/unschedulable")
        try sim.load(manifests: Self.deployment("web", podSpec: #"{"containers":[{"name":"c","image":"nginx"}]}"#))
        let pending = try #require(pods(sim, "web").first)
        #expect(scheduledCondition(pending)?["message"] == """
            0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
            2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
            """)

        var node = try #require(sim.get(.node, namespace: "", name: "worker-2"))
        node[path: ["spec", "unschedulable"]] = nil
        try sim.put(node)
        #expect(sim.get(.node, namespace: "", name: "worker-2")?[path: ["spec", "taints"]] == nil)
        let bound = try #require(pods(sim, "web").first)
        #expect(bound[path: ["spec", "nodeName"]] == "worker-2")
        #expect(bound[path: ["status", "phase"]] == "Running")
        #expect(sim.get(.deployment, namespace: "shop", name: "web")?[path: ["status", "readyReplicas"]] == 1)
        #expect(events(sim, about: bound).map { $0["reason"]?.string ?? "" } == ["FailedScheduling", "Scheduled"])
    }

    @Test func aLoadedPendingPodStaysAsCaptured() throws {
        let sim = KubeSim()
        try sim.load(manifests: """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"stuck","namespace":"shop"},
             "spec":{"containers":[{"name":"c","image":"nginx"}]},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
               "message":"0/5 nodes are available: 5 Insufficient memory."}]}}
            """)
        sim.setNodes(Self.nodes)
        let pod = try #require(sim.get(.pod, namespace: "shop", name: "stuck"))
        #expect(pod[path: ["spec", "nodeName"]] == nil)
        #expect(scheduledCondition(pod)?["message"] == "0/5 nodes are available: 5 Insufficient memory.")
    }

    @Test func requiredNodeAffinityOperators() {
        let node: JSON = ["metadata": ["name": "n", "labels": ["zone": "a", "gpu": "true"]]]
        func pod(_ expressions: String) throws -> JSON {
            try JSON(parsing: #"{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":"#
                + #"{"nodeSelectorTerms":[{"matchExpressions":"# + expressions + "}]}}}}}")
        }
        let cases: [(String, Bool)] = [
            (#"[{"key":"zone","operator":"In","values":["a","b"]}]"#, true),
            (#"[{"key":"zone","operator":"In","values":["b"]}]"#, false),
            (#"[{"key":"zone","operator":"NotIn","values":["b"]}]"#, true),
            (#"[{"key":"missing","operator":"NotIn","values":["b"]}]"#, true),
            (#"[{"key":"gpu","operator":"Exists"}]"#, true),
            (#"[{"key":"gpu","operator":"DoesNotExist"}]"#, false),
            (#"[{"key":"zone","operator":"In","values":["a"]},{"key":"gpu","operator":"DoesNotExist"}]"#, false),
        ]
        for (expressions, expected) in cases {
            #expect((try? NodeFit.matchesAffinity(pod: pod(expressions), node: node)) == expected, "\(expressions)")
        }
    }

    @Test func tolerationsAndHostPorts() throws {
        let sim = cluster()
        let spec = #"{"nodeSelector":{"node-role.kubernetes.io/control-plane":""},"#
            + #""tolerations":[{"key":"node-role.kubernetes.io/control-plane","operator":"Exists","effect":"NoSchedule"}],"#
            + #""containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80,"hostPort":8080}]}]}"#
        try sim.load(manifests: Self.deployment("agent", replicas: 2, podSpec: spec))
        let all = pods(sim, "agent")
        #expect(all.filter { $0[path: ["spec", "nodeName"]] == "control-plane" }.count == 1)
        let pending = try #require(all.first { $0[path: ["spec", "nodeName"]] == nil })
        #expect(scheduledCondition(pending)?["message"] == """
            0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, \
            2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: \
            1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.
            """)
    }

    @Test func scenarioDeclaresItsNodes() throws {
        let scenario = try ScenarioLoader.load("""
            apiVersion: kubesim.medic.io/v1
            kind: Scenario
            metadata: {name: nodes}
            spec:
              nodes:
              - {name: cp, capacity: {cpu: 2, memory: 4Gi}, labels: {node-role.kubernetes.io/control-plane: ""},
                 taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}
              - {name: w1, capacity: {cpu: "4", memory: 8Gi, pods: 20}, allocatable: {cpu: 3800m, memory: 7Gi, pods: 20}}
            """)
        #expect(scenario.nodes.map(\.name) == ["cp", "w1"])
        #expect(scenario.nodes[1].allocatable.cpu == "3800m")
        #expect(scenario.nodes[1].internalIP == "10.0.0.2")
        let sim = KubeSim()
        try sim.play(scenario)
        #expect(sim.objects(.node).map(ClusterState.name) == ["cp", "w1"])
        #expect(sim.get(.node, namespace: "", name: "w1")?[path: ["status", "allocatable", "cpu"]] == "3800m")
        #expect(throws: ScenarioError.self) {
            try ScenarioLoader.load("""
                apiVersion: kubesim.medic.io/v1
                kind: Scenario
                metadata: {name: bad}
                spec: {nodes: [{name: a, capacity: {cpu: lots, memory: 1Gi}}]}
                """)
        }
    }
}
