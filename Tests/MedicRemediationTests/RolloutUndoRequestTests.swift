import Foundation
import MedicKube
import Testing
@testable import MedicRemediation

/// rollout-undo as kubectl's rollback builds it: the chosen ReplicaSet's template without its
/// hash label, the ReplicaSet's annotations but for revision bookkeeping, one JSON Patch.
@Suite struct RolloutUndoRequestTests {
    let web = ObjectRef(kind: "Deployment", namespace: "demo", name: "web")

    func template(_ image: String, hash: String? = nil) -> JSON {
        var labels: [String: JSON] = ["app": .string("web")]
        if let hash { labels["pod-template-hash"] = .string(hash) }
        return .object([
            "metadata": .object(["labels": .object(labels)]),
            "spec": .object(["containers": .array([.object(["name": .string("c"), "image": .string(image)])])]),
        ])
    }

    func replicaSet(_ revision: Int, image: String, owner: String = "uid-web", annotations: [String: JSON] = [:]) -> JSON {
        var all = annotations
        all["deployment.kubernetes.io/revision"] = .string(String(revision))
        all["deployment.kubernetes.io/desired-replicas"] = .string("2")
        return .object([
            "metadata": .object([
                "name": .string("web-\(revision)"), "annotations": .object(all),
                "ownerReferences": .array([.object(["uid": .string(owner), "controller": .bool(true),
                                                    "kind": .string("Deployment"), "name": .string("web")])]),
            ]),
            "spec": .object(["template": template(image, hash: "h\(revision)")]),
        ])
    }

    var deployment: JSON {
        .object([
            "metadata": .object(["name": .string("web"), "uid": .string("uid-web"), "annotations": .object([
                "deployment.kubernetes.io/revision": .string("3"), "team": .string("payments"),
            ])]),
            "spec": .object(["template": template("nginx:1.27")]),
        ])
    }

    var history: [JSON] {
        [replicaSet(1, image: "nginx:1.24", annotations: ["change-cause": .string("first")]),
         replicaSet(2, image: "nginx:1.26", annotations: ["change-cause": .string("second")]),
         replicaSet(3, image: "nginx:1.27"),
         replicaSet(9, image: "busybox", owner: "uid-other")]
    }

    @Test func previousRevisionByDefault() throws {
        let request = try #require(try Remediation(target: web, action: .rolloutUndo(toRevision: nil))
            .rolloutUndoRequest(deployment: deployment, replicaSets: history))
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/demo/deployments/web")
        #expect(request.query.isEmpty)
        #expect(request.contentType == "application/json-patch+json")
        let expected: JSON = .array([
            .object(["op": .string("replace"), "path": .string("/spec/template"), "value": template("nginx:1.26")]),
            .object(["op": .string("replace"), "path": .string("/metadata/annotations"), "value": .object([
                "change-cause": .string("second"), "deployment.kubernetes.io/revision": .string("3"),
            ])]),
        ])
        #expect(try JSON(parsing: request.body!) == expected)
    }

    @Test func chosenRevisionAndDryRun() throws {
        let request = try #require(try Remediation(target: web, action: .rolloutUndo(toRevision: 1))
            .rolloutUndoRequest(deployment: deployment, replicaSets: history, options: RequestOptions(dryRun: true)))
        #expect(request.query == ["dryRun": "All"])
        #expect(String(decoding: request.body!, as: UTF8.self).contains(#""image":"nginx:1.24""#))
        #expect(!String(decoding: request.body!, as: UTF8.self).contains("pod-template-hash"))
    }

    @Test func alreadyOnThatTemplateSendsNothing() throws {
        var current = deployment
        current["spec"] = .object(["template": template("nginx:1.26")])
        #expect(try Remediation(target: web, action: .rolloutUndo(toRevision: 2))
            .rolloutUndoRequest(deployment: current, replicaSets: history) == nil)
    }

    @Test func refusals() {
        #expect(throws: RemediationError(.invalidParameter, "Deployment demo/web has no revision 7 in its history")) {
            try Remediation(target: web, action: .rolloutUndo(toRevision: 7)).rolloutUndoRequest(deployment: deployment, replicaSets: history)
        }
        #expect(throws: RemediationError(.invalidParameter, "Deployment demo/web has no earlier revision to roll back to")) {
            try Remediation(target: web, action: .rolloutUndo(toRevision: nil))
                .rolloutUndoRequest(deployment: deployment, replicaSets: [replicaSet(3, image: "nginx:1.27")])
        }
        var paused = deployment
        paused["spec"]?["paused"] = .bool(true)
        #expect(throws: RemediationError(.invalidParameter, "Deployment demo/web is paused; resume it (kubectl rollout resume) before a rollback")) {
            try Remediation(target: web, action: .rolloutUndo(toRevision: nil)).rolloutUndoRequest(deployment: paused, replicaSets: history)
        }
    }
}
