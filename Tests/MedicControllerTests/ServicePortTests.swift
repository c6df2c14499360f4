import Foundation
import KubeSim
import MedicAudit
@testable import MedicController
import MedicKube
import MedicRemediation
import Testing

/// `patch-service-port` against KubeSim: its `test` op makes the command and medic's request
/// refuse a Service whose targetPort changed since it was read, and its rollback restores the
/// old targetPort behind a `test` op of its own.
@Suite("patch-service-port: the test op and the rollback", .timeLimit(.minutes(2)))
struct ServicePortTests {
    static let service = KubectlEquivalenceCase.service
    static let remediation = Remediation(target: service, action: .patchServicePort(index: 0, from: .int(8080), to: .int(9090)))
    static let rejected = "the server rejected our request due to an error in our request"

    static func targetPort(_ cluster: KubectlEquivalenceCluster) -> JSON? {
        cluster.sim.get(.service, namespace: "shop", name: "api")?[path: ["spec", "ports"]]?.array?.first?["targetPort"]
    }

    /// Someone else's edit: the Service's first port now targets `value`.
    static func setTargetPort(_ cluster: KubectlEquivalenceCluster, _ value: JSON) throws {
        var service = try #require(cluster.sim.get(.service, namespace: "shop", name: "api"))
        var ports = try #require(service[path: ["spec", "ports"]]?.array)
        ports[0]["targetPort"] = value
        service[path: ["spec", "ports"]] = .array(ports)
        _ = try cluster.sim.put(service)
    }

    @Test("kubectl's command fails on a changed Service with the API server's 422 and changes nothing")
    func kubectlRefusesAChangedService() async throws {
        let cluster = try await KubectlEquivalenceCluster.start()
        defer { Task { await cluster.stop() } }
        try Self.setTargetPort(cluster, 7070)
        let run = try await cluster.kubectl(try #require(Self.remediation.kubectlArguments))
        #expect(run.status == 1)
        #expect(run.output == "The request is invalid: \(Self.rejected)\n")
        #expect(Self.targetPort(cluster) == 7070)
    }

    @Test("medic's request fails the same way at its server-side dry run, so nothing is sent")
    func medicRefusesAChangedService() async throws {
        let cluster = try await KubectlEquivalenceCluster.start()
        defer { Task { await cluster.stop() } }
        try Self.setTargetPort(cluster, 7070)
        let result = try await cluster.medic(Self.remediation, now: KubectlEquivalenceCluster.fixedTime)
        guard case .failed(let status, let message) = result else {
            Issue.record("expected a refusal, got \(result.summary)")
            return
        }
        #expect(status == 422)
        #expect(message.hasPrefix("the server-side dry run refused it, so the change was not sent: "))
        #expect(message.contains(Self.rejected))
        #expect(Self.targetPort(cluster) == 7070)
    }

    /// Applies the action through the Executor and returns the ledger's record of it.
    static func apply(on cluster: KubectlEquivalenceCluster) async throws -> ActionLedger.ActionState {
        let result = try await cluster.medic(remediation, now: KubectlEquivalenceCluster.fixedTime)
        try #require(result == .applied, "\(result.summary)")
        #expect(targetPort(cluster) == 9090)
        return try #require(ActionLedger(records: try AuditLog.records(at: cluster.auditURL)).actions["a1"])
    }

    @Test("the intent records the old targetPort and the new one; the rollback tests the new one and restores the old")
    func rollbackRestoresTheOldTargetPort() async throws {
        let cluster = try await KubectlEquivalenceCluster.start()
        defer { Task { await cluster.stop() } }
        let action = try await Self.apply(on: cluster)
        #expect(action.before == #"{"pointer":"/spec/ports/0/targetPort","value":8080,"test":9090}"#)
        let record = try #require(action.before)
        let before = try #require(BeforeState(recordText: record))
        let request = try #require(before.rollbackRequest(for: Self.service, over: before.test))
        #expect(request.path == "/api/v1/namespaces/shop/services/api")
        #expect(request.contentType == "application/json-patch+json")
        #expect(String(decoding: request.body ?? Data(), as: UTF8.self)
            == #"[{"op":"test","path":"/spec/ports/0/targetPort","value":9090},{"op":"replace","path":"/spec/ports/0/targetPort","value":8080}]"#)

        let rollback = try await cluster.executor(now: KubectlEquivalenceCluster.fixedTime).rollback(action, reason: "verification failed")
        #expect(rollback == .restored("verification failed; restoring /spec/ports/0/targetPort as it was before action a1: PATCH /api/v1/namespaces/shop/services/api"))
        #expect(Self.targetPort(cluster) == 8080)
    }

    @Test("a rollback over a later edit of the targetPort fails its test op in the dry run, so nothing is sent and that edit stays")
    func rollbackKeepsALaterEdit() async throws {
        let cluster = try await KubectlEquivalenceCluster.start()
        defer { Task { await cluster.stop() } }
        let action = try await Self.apply(on: cluster)
        try Self.setTargetPort(cluster, "web")
        let rollback = try await cluster.executor(now: KubectlEquivalenceCluster.fixedTime).rollback(action, reason: "verification failed")
        guard case .failed(let message) = rollback else {
            Issue.record("expected the rollback to fail, got \(rollback)")
            return
        }
        #expect(message.hasPrefix("rollback of a1 on Service shop/api refused by the server-side dry run, so nothing was sent: "))
        #expect(message.contains(Self.rejected))
        #expect(Self.targetPort(cluster) == "web")
    }
}

@Suite("before-state of patch-service-port")
struct ServicePortBeforeStateTests {
    static let service = Data(#"{"metadata":{"name":"api"},"spec":{"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"admin","port":9000,"targetPort":"admin"}]}}"#.utf8)

    @Test("the pointer indexes spec.ports; a named port is kept as a string; the record text round-trips")
    func pointerIntoTheArray() throws {
        let named = try #require(BeforeState(object: Self.service, action: .patchServicePort(index: 1, from: .string("admin"), to: .int(9001))))
        #expect(named == BeforeState(pointer: "/spec/ports/1/targetPort", value: #""admin""#, test: "9001"))
        #expect(named.recordText == #"{"pointer":"/spec/ports/1/targetPort","value":"admin","test":9001}"#)
        #expect(BeforeState(recordText: named.recordText) == named)
        let numbered = try #require(BeforeState(object: Self.service, action: .patchServicePort(index: 0, from: .int(8080), to: .string("web"))))
        #expect(numbered.recordText == #"{"pointer":"/spec/ports/0/targetPort","value":8080,"test":"web"}"#)
        #expect(BeforeState(object: Self.service, action: .patchServicePort(index: 2, from: .int(8080), to: .int(1))) == nil)
    }

    @Test("other actions keep the record they had; their rollback tests the value the outcome recorded, and without one there is none")
    func otherActionsTestWhatTheyWrote() throws {
        let before = BeforeState(pointer: "/spec/selector", value: #"{"app":"api"}"#)
        #expect(before.recordText == #"{"pointer":"/spec/selector","value":{"app":"api"}}"#)
        #expect(BeforeState(recordText: before.recordText) == before)
        let service = ObjectRef(kind: "Service", namespace: "shop", name: "api")
        let request = try #require(before.rollbackRequest(for: service, over: #"{"app":"api-v2"}"#))
        #expect(String(decoding: request.body ?? Data(), as: UTF8.self)
            == #"[{"op":"test","path":"/spec/selector","value":{"app":"api-v2"}},{"op":"replace","path":"/spec/selector","value":{"app":"api"}}]"#)
        #expect(before.rollbackRequest(for: service, over: nil) == nil)
    }
}
