import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// Server-side apply on the store: ownership in FieldsV1, fields a manager stops applying,
/// conflicts between managers and their texts.
struct ServerSideApplyTests {
    static func configuration(replicas: Int64, env: [String: String] = [:], labels: JSON = ["app": "web"]) -> JSON {
        var container: JSON = ["name": "app", "image": "web:1"]
        if !env.isEmpty {
            container["env"] = .array(env.keys.sorted().map { ["name": .string($0), "value": .string(env[$0]!)] })
        }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": labels],
            "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [container]]]],
        ]
    }

    func apply(_ sim: KubeSim, _ configuration: JSON, manager: String, force: Bool = false) throws(APIError) -> JSON {
        try sim.state.withLock { state throws(APIError) in
            try state.apply(.deployment, namespace: "default", name: "web", configuration: configuration,
                            request: .init(manager: manager, force: force, dryRun: false, subresource: nil)).object
        }
    }

    @Test func applyRecordsFieldsV1WithKeyedListElements() throws {
        let sim = KubeSim()
        let created = try apply(sim, Self.configuration(replicas: 2, env: ["A": "1"]), manager: "ci")
        let entries = try #require(created[path: ["metadata", "managedFields"]]?.array)
        #expect(entries.count == 1)
        #expect(entries[0]["operation"] == "Apply")
        #expect(entries[0]["apiVersion"] == "apps/v1")
        let container = try #require(entries[0][path: ["fieldsV1", "f:spec", "f:template", "f:spec", "f:containers",
                                                       "k:{\"name\":\"app\"}"]])
        #expect(container == [".": [:], "f:name": [:], "f:image": [:], "f:env": ["k:{\"name\":\"A\"}": [".": [:], "f:name": [:], "f:value": [:]]]])
        #expect(entries[0][path: ["fieldsV1", "f:metadata", "f:labels", "f:app"]] == [:])
        #expect(entries[0][path: ["fieldsV1", "f:metadata", "f:name"]] == nil)
    }

    @Test func fieldsAManagerStopsApplyingAreRemovedUnlessSomeoneElseOwnsThem() throws {
        let sim = KubeSim()
        _ = try apply(sim, Self.configuration(replicas: 2, env: ["A": "1", "B": "2"], labels: ["app": "web", "tier": "front"]),
                      manager: "ci")
        let applied = try apply(sim, Self.configuration(replicas: 2, env: ["A": "1"]), manager: "ci")
        let env = applied[path: ["spec", "template", "spec", "containers"]]?.array?.first?["env"]
        #expect(env == [["name": "A", "value": "1"]])
        #expect(applied[path: ["metadata", "labels"]] == ["app": "web"])
        // A field another manager also applies stays when one of them lets it go.
        _ = try apply(sim, Self.configuration(replicas: 2, env: ["A": "1"], labels: ["app": "web", "team": "x"]), manager: "ci")
        _ = try apply(sim, ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": ["team": "x"]]],
                      manager: "labeller")
        let kept = try apply(sim, Self.configuration(replicas: 2, env: ["A": "1"]), manager: "ci")
        #expect(kept[path: ["metadata", "labels", "team"]] == "x")
    }

    @Test func conflictsNameEveryOtherManagerAndForceTakesOwnership() throws {
        let sim = KubeSim()
        _ = try apply(sim, Self.configuration(replicas: 2), manager: "ci")
        _ = try apply(sim, ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                            "spec": ["replicas": 5, "template": ["spec": ["containers": [["name": "app", "image": "web:2"]]]]]],
                      manager: "hotfix", force: true)
        #expect(throws: APIError.self) { try apply(sim, Self.configuration(replicas: 2), manager: "ci") }
        do {
            _ = try apply(sim, Self.configuration(replicas: 2), manager: "ci")
        } catch {
            #expect(error.code == 409)
            #expect(error.message == "Apply failed with 2 conflicts: conflicts with \"hotfix\":\n- .spec.replicas\n"
                + "- .spec.template.spec.containers[name=\"app\"].image")
            #expect(error.causes.map(\.field) == [".spec.replicas", ".spec.template.spec.containers[name=\"app\"].image"])
            #expect(error.causes.first?.reason == "FieldManagerConflict")
        }
        let forced = try apply(sim, Self.configuration(replicas: 2), manager: "ci", force: true)
        #expect(forced[path: ["spec", "replicas"]] == 2)
        #expect(ManagedFields.entries(of: forced).map(\.manager).sorted() == ["ci", "hotfix"])
    }

    @Test func anUpdateTakesOverTheFieldsItChanges() throws {
        let sim = KubeSim()
        _ = try apply(sim, Self.configuration(replicas: 2), manager: "ci")
        let patched = try sim.state.withLock { state throws(APIError) in
            try state.patch(.deployment, namespace: "default", name: "web", patch: ["spec": ["replicas": 3]], patchType: .merge,
                            subresource: nil, dryRun: false, manager: "kubectl-scale")
        }
        let entries = ManagedFields.entries(of: patched)
        let scale = try #require(entries.first { $0.manager == "kubectl-scale" })
        #expect(scale.operation == "Update")
        #expect(scale.paths == [["f:spec", "f:replicas"]])
        #expect(entries.first { $0.manager == "ci" }?.paths.contains(["f:spec", "f:replicas"]) == false)
    }

    /// `kubectl scale` sends no fieldManager: the apiserver names the manager after the
    /// User-Agent (`kubectl`) and records the subresource.
    @Test func aScaleOwnsReplicasThroughItsSubresource() throws {
        let sim = KubeSim()
        _ = try apply(sim, Self.configuration(replicas: 2), manager: "ci")
        _ = try sim.state.withLock { state throws(APIError) in
            try state.updateScale(.deployment, namespace: "default", name: "web", patch: ["spec": ["replicas": 3]],
                                  patchType: .merge, body: nil, dryRun: false, manager: "kubectl")
        }
        #expect(throws: APIError(code: 409, reason: "Conflict", message: "Apply failed with 1 conflict: conflict with "
            + "\"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas",
                                 causes: [.init(reason: "FieldManagerConflict",
                                                message: "conflict with \"kubectl\" with subresource \"scale\" using apps/v1",
                                                field: ".spec.replicas")])) {
            try apply(sim, Self.configuration(replicas: 2), manager: "ci")
        }
    }

    /// medic's own writes carry `fieldManager=medic`: what it changes is owned by medic.
    @Test func medicsPatchIsOwnedByMedic() async throws {
        let sim = KubeSim()
        _ = try apply(sim, Self.configuration(replicas: 2), manager: "ci")
        let server = try await sim.start()
        do {
            let writer = KubeWriter(connection: ClusterConnection(server: server.baseURL, proxy: .none))
            _ = try await writer.patch(Deployment.self, name: "web", namespace: "default",
                                       patch: Data(#"{"spec":{"replicas":4}}"#.utf8), as: .strategicMerge)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let entries = ManagedFields.entries(of: try #require(sim.get(.deployment, name: "web")))
        #expect(entries.first { $0.manager == "medic" }?.paths == [["f:spec", "f:replicas"]])
        #expect(entries.first { $0.manager == "medic" }?.operation == "Update")
    }

    @Test func unknownFieldsInAnApplyAreTheTypedConversionsError() {
        let sim = KubeSim()
        var configuration = Self.configuration(replicas: 1)
        configuration[path: ["spec", "foo"]] = 1
        #expect(throws: APIError(code: 500, reason: "", message: "failed to create typed patch object (default/web; "
            + "apps/v1, Kind=Deployment): .spec.foo: field not declared in schema")) {
            try apply(sim, configuration, manager: "ci")
        }
    }
}
