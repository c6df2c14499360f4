import MedicKube
import Testing
@testable import KubeSim

/// JSON merge patch (RFC 7386), as `kubectl scale` and `kubectl patch --type=merge` use it.
@Suite struct PatchMergeTests {
    /// `kubectl scale deployment/web --replicas=3` (sent to /scale, applied to the Deployment).
    @Test func scaleSetsReplicas() throws {
        try expectPatch(.merge, #"{"spec":{"replicas":3}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "replicas"]] = 3
        }
    }

    /// `null` deletes a key, absent keys are untouched, new keys are added.
    @Test func nullDeletesKeysAndMapsMerge() throws {
        try expectPatch(.merge, #"{"metadata":{"labels":{"app":null,"tier":"web"},"annotations":{"owner":"team-a","missing":null}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["metadata", "labels", "app"]] = nil
            expected[path: ["metadata", "labels", "tier"]] = "web"
            expected[path: ["metadata", "annotations", "owner"]] = "team-a"
        }
    }

    /// Unlike strategic merge, a merge patch replaces lists: the sidecar and the env go.
    @Test func listsAreReplacedWhole() throws {
        try expectPatch(.merge, #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": "nginx:1.27"]]
        }
    }

    /// A new object's null members are not stored.
    @Test func nullsInNewObjectsAreDropped() throws {
        try expectPatch(.merge, #"{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd","zone":null}}}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "template", "spec", "nodeSelector"]] = ["disk": "ssd"]
        }
    }

    /// Switching to Recreate needs an explicit `rollingUpdate: null` in a merge patch.
    @Test func nullInsideNestedObject() throws {
        try expectPatch(.merge, #"{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "strategy"]] = ["type": "Recreate"]
        }
    }

    @Test func nonObjectMergePatchIsRejected() throws {
        for patch in [#"[{"op":"add"}]"#, "null", #""text""#] {
            let error = try patchError(.merge, patch)
            #expect(error?.reason == .badRequest)
            #expect(error?.message == "Invalid JSON Patch")
        }
    }

    @Test func emptyMergePatchChangesNothing() throws {
        try expectPatch(.merge, "{}", to: PatchFixtures.web, gives: PatchFixtures.web)
    }
}
