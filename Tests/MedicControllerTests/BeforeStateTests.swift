import Foundation
import MedicKube
import MedicRemediation
import Testing
@testable import MedicController

@Suite("before-states: only the fields an action changes")
struct BeforeStateTests {
    static func deployment(_ containers: [[String: Any]], annotations: [String: String]? = nil) throws -> Data {
        var metadata: [String: Any] = [:]
        if let annotations { metadata["annotations"] = annotations }
        return try JSONSerialization.data(withJSONObject: ["metadata": ["name": "api"], "spec": ["replicas": 2, "template": [
            "metadata": metadata, "spec": ["containers": containers],
        ]]])
    }

    static var api: [String: Any] { ["name": "api", "image": "shop/api:1", "env": [["name": "MODE", "value": "a"]]] }
    static var sidecar: [String: Any] { ["name": "proxy", "image": "envoy:1"] }
    static let target = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")

    @Test("a container's field is found by the container's name; a field it lacks is kept as null")
    func containerField() throws {
        let object = try Self.deployment([Self.sidecar, Self.api])
        let env = try #require(BeforeState(object: object, action: .setEnv(container: "api", variables: [EnvAssignment(name: "MODE", value: "b")])))
        #expect(env.recordText == #"{"pointer":"/spec/template/spec/containers/1/env","value":[{"name":"MODE","value":"a"}]}"#)
        let resources = try #require(BeforeState(object: object, action: .setResources(container: "proxy", limits: ["memory": "1Gi"], requests: [:])))
        #expect(resources.recordText == #"{"pointer":"/spec/template/spec/containers/0/resources","value":null}"#)
        #expect(BeforeState(object: object, action: .setImage(container: "nope", image: "x:1")) == nil)
    }

    @Test("an action on every container of several keeps the containers list; of one, that container's field")
    func everyContainer() throws {
        let action = Action.unsetEnv(container: nil, names: ["MODE"])
        #expect(BeforeState(object: try Self.deployment([Self.sidecar, Self.api]), action: action)?.pointer == "/spec/template/spec/containers")
        #expect(BeforeState(object: try Self.deployment([Self.api]), action: action)?.pointer == "/spec/template/spec/containers/0/env")
    }

    @Test("a restart keeps only its annotation: absent before a first restart, so the rollback tests medic's stamp and removes it")
    func restartAnnotation() throws {
        let first = try #require(BeforeState(object: try Self.deployment([Self.api]), action: .rolloutRestart))
        #expect(first.recordText == #"{"pointer":"/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt","value":null}"#)
        let request = try #require(first.rollbackRequest(for: Self.target, over: #""2026-12-04T03:00:00Z""#))
        #expect(String(decoding: request.body ?? Data(), as: UTF8.self) == #"[{"op":"test","path":"/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt","value":"2026-12-04T03:00:00Z"},{"op":"remove","path":"/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"}]"#)
        let again = try Self.deployment([Self.api], annotations: ["kubectl.kubernetes.io/restartedAt": "2026-12-01T00:00:00Z"])
        #expect(BeforeState(object: again, action: .rolloutRestart)?.value == #""2026-12-01T00:00:00Z""#)
    }

    @Test("a change that left nothing to test against is not rolled back")
    func nothingWritten() {
        let before = BeforeState(pointer: "/spec/template/spec/containers/0/env", value: #"[{"name":"MODE","value":"a"}]"#)
        #expect(before.rollbackRequest(for: Self.target, over: "null") == nil)
        #expect(before.rollbackRequest(for: Self.target, over: nil) == nil)
    }
}
