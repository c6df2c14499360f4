import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// ResourceQuota admission and what the controllers make of a refused pod.
@Suite(.timeLimit(.minutes(1)))
struct ResourceQuotaTests {
    static let quota = """
        {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"compute","namespace":"shop"},
         "spec":{"hard":{"limits.memory":"4Gi","requests.cpu":"2","pods":"10"}}}
        """

    static func web(replicas: Int, memory: String = "1Gi") -> String {
        SchedulerTests.deployment("web", replicas: replicas, podSpec: """
            {"containers":[{"name":"app","image":"web:1","resources":{"requests":{"cpu":"100m"},"limits":{"memory":"\(memory)"}}}]}
            """)
    }

    @Test func aPodPastTheQuotaIsRefusedWithTheApiserversWords() throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.quota)
        try sim.load(manifests: Self.web(replicas: 3))
        let quota = try #require(sim.get(.resourceQuota, namespace: "shop", name: "compute"))
        #expect(quota[path: ["status", "used"]] == ["limits.memory": "3Gi", "requests.cpu": "300m", "pods": "3"])
        #expect(quota[path: ["status", "hard"]] == quota[path: ["spec", "hard"]])

        let pod: JSON = try JSON(parsing: """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"big","namespace":"shop"},
             "spec":{"containers":[{"name":"app","image":"web:1","resources":{"limits":{"memory":"2Gi","cpu":"1"}}}]}}
            """)
        #expect(throws: APIError(code: 403, reason: "Forbidden", message: """
            pods "big" is forbidden: exceeded quota: compute, requested: limits.memory=2Gi, used: limits.memory=3Gi, \
            limited: limits.memory=4Gi
            """, name: "big", kind: "pods")) {
            try sim.state.withLock { state throws(APIError) in _ = try state.create(.pod, namespace: "shop", body: pod, dryRun: false) }
        }
        let bare: JSON = try JSON(parsing: """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare","namespace":"shop"},
             "spec":{"containers":[{"name":"app","image":"web:1"},{"name":"side","image":"busybox"}]}}
            """)
        #expect(throws: APIError(code: 403, reason: "Forbidden", message: """
            pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app,side; requests.cpu for: app,side
            """, name: "bare", kind: "pods")) {
            try sim.state.withLock { state throws(APIError) in _ = try state.create(.pod, namespace: "shop", body: bare, dryRun: false) }
        }
    }

    @Test func theReplicaSetRecordsFailedCreateAndReplicaFailure() throws {
        let sim = KubeSim()
        try sim.load(manifests: Self.quota)
        try sim.load(manifests: Self.web(replicas: 5))
        let set = try #require(sim.objects(.replicaSet, namespace: "shop").first)
        #expect(sim.objects(.pod, namespace: "shop").count == 4)
        let failure = try #require(set[path: ["status", "conditions"]]?.array?.first)
        #expect(failure["type"] == "ReplicaFailure")
        #expect(failure["reason"] == "FailedCreate")
        let message = try #require(failure["message"]?.string)
        #expect(message.hasPrefix("pods \"\(ClusterState.name(set))-"))
        #expect(message.hasSuffix("\" is forbidden: exceeded quota: compute, requested: limits.memory=1Gi, "
            + "used: limits.memory=4Gi, limited: limits.memory=4Gi"))
        let events = sim.objects(.event, namespace: "shop").filter { $0["reason"] == "FailedCreate" }
        let event = try #require(events.first)
        #expect(event["type"] == "Warning")
        #expect(event["message"]?.string?.hasPrefix("Error creating: pods \"\(ClusterState.name(set))-") == true)
        #expect(event["source"] == ["component": "replicaset-controller"])
        #expect(event[path: ["involvedObject", "kind"]] == "ReplicaSet")
        let deployment = try #require(sim.get(.deployment, namespace: "shop", name: "web"))
        let conditions = deployment[path: ["status", "conditions"]]?.array ?? []
        #expect(conditions.map { $0["type"]?.string ?? "" } == ["Available", "Progressing", "ReplicaFailure"])
        #expect(conditions.last?["message"] == .string(message))

        // Raising the quota lets the ReplicaSet create the last pod; the failure goes away.
        var quota = try #require(sim.get(.resourceQuota, namespace: "shop", name: "compute"))
        quota[path: ["spec", "hard", "limits.memory"]] = "8Gi"
        try sim.put(quota)
        #expect(sim.objects(.pod, namespace: "shop").count == 5)
        #expect(sim.objects(.replicaSet, namespace: "shop").first?[path: ["status", "conditions"]] == nil)
        let healed = try #require(sim.get(.deployment, namespace: "shop", name: "web"))
        #expect(healed[path: ["status", "conditions"]]?.array?.map { $0["type"]?.string ?? "" } == ["Available", "Progressing"])
    }

    @Test func aRolloutThatMakesNoProgressExceedsItsDeadline() throws {
        let clock = TestClock(KubeletTests.start)
        let sim = KubeSim(clock: { clock.now })
        sim.setNodes([ClusterNode(name: "small", capacity: .init(cpu: "1", memory: "1Gi"), internalIP: "10.0.0.1")])
        try sim.load(manifests: SchedulerTests.deployment("web", podSpec: """
            {"containers":[{"name":"app","image":"web:1","resources":{"requests":{"cpu":"2"}}}]}
            """))
        var deployment = try #require(sim.get(.deployment, namespace: "shop", name: "web"))
        let set = try #require(sim.objects(.replicaSet, namespace: "shop").first)
        func progressing(_ deployment: JSON) -> JSON? {
            (deployment[path: ["status", "conditions"]]?.array ?? []).first { $0["type"]?.string == "Progressing" }
        }
        #expect(progressing(deployment)?["reason"] == "ReplicaSetUpdated")
        clock.move(by: 599)
        sim.advance()
        #expect(progressing(try #require(sim.get(.deployment, namespace: "shop", name: "web")))?["reason"] == "ReplicaSetUpdated")
        clock.move(by: 2)
        sim.advance()
        deployment = try #require(sim.get(.deployment, namespace: "shop", name: "web"))
        let condition = try #require(progressing(deployment))
        #expect(condition["status"] == "False")
        #expect(condition["reason"] == "ProgressDeadlineExceeded")
        #expect(condition["message"] == .string("ReplicaSet \"\(ClusterState.name(set))\" has timed out progressing."))
    }
}
