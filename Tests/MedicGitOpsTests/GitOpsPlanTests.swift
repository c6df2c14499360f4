import Foundation
import MedicKube
import MedicRemediation
import Testing
@testable import MedicDiagnosis
@testable import MedicGitOps

/// A report's findings carried to Git: a patch per change, and a reason for every finding
/// that gets none.
@Suite struct GitOpsPlanTests {
    struct Objects: LiveObjects {
        var objects: [ObjectRef: JSON]
        var sets: [JSON] = []
        func object(_ ref: ObjectRef) async throws(GitOpsError) -> JSON {
            guard let object = objects[ref] else { throw GitOpsError("no \(ref)") }
            return object
        }
        func replicaSets(in namespace: String) async throws(GitOpsError) -> [JSON] { sets }
    }

    static let shop = ObjectRef(kind: "Deployment", namespace: "prod", name: "shop")

    static func template(env: [(String, String)], hash: String? = nil) -> JSON {
        var labels: JSON = ["app": "shop"]
        if let hash { labels["pod-template-hash"] = .string(hash) }
        return ["metadata": ["labels": labels], "spec": ["containers": [[
            "name": "app", "image": "shop:1.0", "imagePullPolicy": "IfNotPresent",
            "env": .array(env.map { ["name": .string($0.0), "value": .string($0.1)] }),
        ]]]]
    }

    static func deployment(env: [(String, String)]) -> JSON {
        ["apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": ["name": "shop", "namespace": "prod", "uid": "u1",
                      "annotations": ["deployment.kubernetes.io/revision": "2"]],
         "spec": ["replicas": 2, "template": template(env: env)]]
    }

    static func replicaSet(revision: Int, env: [(String, String)]) -> JSON {
        ["kind": "ReplicaSet",
         "metadata": ["name": .string("shop-\(revision)"), "namespace": "prod",
                      "annotations": ["deployment.kubernetes.io/revision": .string(String(revision))],
                      "ownerReferences": [["controller": true, "uid": "u1", "kind": "Deployment", "name": "shop"]]],
         "spec": ["template": template(env: env, hash: "h\(revision)")]]
    }

    static func finding(_ runbook: String, _ target: ObjectRef = shop, _ actions: Action...) -> Finding {
        Finding(runbook: runbook, severity: .high, target: target, summary: "\(runbook) on \(target)", evidence: [],
                actions: actions.map { ProposedAction(remediation: Remediation(target: target, action: $0), decision: "proposed") },
                conditions: [])
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aRollbackAndAChangeThatMustSurviveItBuildOnEachOther() async throws {
        let broken = [("DB_HOST", "db"), ("CHAOS_RATE", "0.5")]
        let objects = Objects(objects: [Self.shop: Self.deployment(env: broken)],
                              sets: [Self.replicaSet(revision: 1, env: [("DB_NAME", "orders"), ("DB_HOST", "db"), ("CHAOS_RATE", "0.5")]),
                                     Self.replicaSet(revision: 2, env: broken)])
        let report = DiagnosisReport(findings: [
            Self.finding("missing-env", Self.shop, .rolloutUndo(toRevision: nil)),
            Self.finding("chaos-flag", Self.shop, .setEnv(container: "app", variables: [EnvAssignment(name: "CHAOS_RATE", value: "0")])),
        ], undecided: [])
        let plan = await GitOpsPlan.make(report, objects: objects, now: Self.now)
        #expect(plan.skipped == [])
        try #require(plan.fixes.count == 2)
        // The rollback puts DB_NAME back where it was, and nothing else of the template changes
        // (the ReplicaSet's pod-template-hash label is not carried over).
        #expect(plan.fixes[0].action == "rollout-undo")
        #expect(plan.fixes[0].spec == ["template": ["spec": ["containers": [[
            "name": "app", "env": [["name": "DB_NAME", "value": "orders"]],
            "$setElementOrder/env": [["name": "DB_NAME"], ["name": "DB_HOST"], ["name": "CHAOS_RATE"]],
        ]]]]])
        // The chaos flag is switched off on the rolled-back template.
        #expect(plan.fixes[1].spec == ["template": ["spec": ["containers": [[
            "name": "app", "env": [["name": "CHAOS_RATE", "value": "0"]],
        ]]]]])
        #expect(plan.fixes[1].document["metadata"] == ["name": "shop", "namespace": "prod"])
    }

    @Test func everyFindingWithoutAPatchSaysWhy() async throws {
        let objects = Objects(objects: [Self.shop: Self.deployment(env: [("A", "1")])])
        var symptom = Self.finding("error-rate-rise", ObjectRef(kind: "Deployment", namespace: "prod", name: "gateway"), .scale(replicas: 4))
        symptom.causedBy = ["missing-env/Deployment/prod/shop"]
        let report = DiagnosisReport(findings: [
            Self.finding("pool-exhaustion", Self.shop, .rolloutRestart, .notify(message: "the code leaks connections")),
            Self.finding("overload", Self.shop, .notify(message: "look at it")),
            symptom,
            Self.finding("chaos-flag", Self.shop, .setEnv(container: "app", variables: [EnvAssignment(name: "A", value: "1")])),
            Self.finding("bad-image", ObjectRef(kind: "Deployment", namespace: "prod", name: "cart"), .setImage(container: "app", image: "cart:2")),
        ], undecided: [])
        let plan = await GitOpsPlan.make(report, objects: objects, now: Self.now)
        #expect(plan.fixes.isEmpty)
        #expect(plan.skipped.map(\.reason) == [
            "rollout-restart changes no declared field; run it live once the manifests are fixed: kubectl -n prod rollout restart deployment/shop",
            "no change to propose: it needs a person (notify)",
            "a symptom of missing-env/Deployment/prod/shop: fixing that clears it",
            "set-env on Deployment prod/shop: already in place",
            "no Deployment prod/cart",
        ])
    }
}
