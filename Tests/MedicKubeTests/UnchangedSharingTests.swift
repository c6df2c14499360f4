import Foundation
import Testing
@testable import MedicKube

/// A watched change keeps what it left unchanged shared with the cache's previous copy, and
/// reads exactly as decoded.
@Suite struct UnchangedSharingTests {
    static func pod(condition: String, image: String = "shop/api:1") throws -> Pod {
        try KubeJSON.decode(Pod.self, from: Data("""
            {"metadata": {"name": "api-1", "namespace": "shop", "resourceVersion": "\(condition)",
                          "labels": {"app": "api"}, "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                          "name": "api-7c9", "uid": "u1", "controller": true}]},
             "spec": {"containers": [{"name": "api", "image": "\(image)", "env": [{"name": "DB", "value": "db:5432"}]}]},
             "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "\(condition)"}],
                        "containerStatuses": [{"name": "api", "ready": true, "restartCount": 0, "image": "\(image)"}]}}
            """.utf8))
    }

    static func address<T>(_ array: [T]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    @Test func aPodWhoseStatusChangedSharesItsSpecAndLabelsAndReadsAsDecoded() throws {
        let old = try Self.pod(condition: "True")
        let new = try Self.pod(condition: "False")
        let shared = new.sharing(unchangedFrom: old)
        #expect(shared == new)
        #expect(Self.address(shared.spec.containers) == Self.address(old.spec.containers))
        #expect(Self.address(shared.metadata.ownerReferences) == Self.address(old.metadata.ownerReferences))
        #expect(Self.address(shared.status.containerStatuses) == Self.address(old.status.containerStatuses))
        #expect(Self.address(shared.status.conditions) != Self.address(old.status.conditions), "what changed is the new copy's")
    }

    @Test func aNewImageIsKeptNotShared() throws {
        let old = try Self.pod(condition: "True")
        let new = try Self.pod(condition: "True", image: "shop/api:2")
        let shared = new.sharing(unchangedFrom: old)
        #expect(shared == new)
        #expect(shared.spec.containers[0].image == "shop/api:2")
        #expect(Self.address(shared.spec.containers) != Self.address(old.spec.containers))
    }

    @Test func aScaledDeploymentSharesItsTemplate() throws {
        let json = { (replicas: Int) in Data("""
            {"metadata": {"name": "api", "namespace": "shop", "labels": {"app": "api"}},
             "spec": {"replicas": \(replicas), "selector": {"matchLabels": {"app": "api"}},
                      "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "api", "image": "shop/api:1"}]}}}}
            """.utf8) }
        let old = try KubeJSON.decode(Deployment.self, from: json(2))
        let new = try KubeJSON.decode(Deployment.self, from: json(3))
        let shared = new.sharing(unchangedFrom: old)
        #expect(shared == new && shared.spec.replicas == 3)
        #expect(Self.address(shared.spec.template.spec.containers) == Self.address(old.spec.template.spec.containers))
    }
}
