import MedicKube
import Testing

/// The patch from one version of an object to another, as kubectl's two-way merge builds it.
@Suite struct TwoWayMergePatchTests {
    static func deployment(env: [(String, String)], image: String = "shop:1.0", replicas: Int64 = 2) -> JSON {
        .object([
            "kind": "Deployment",
            "spec": .object([
                "replicas": .int(replicas),
                "template": .object(["spec": .object(["containers": .array([
                    .object(["name": "app", "image": .string(image), "imagePullPolicy": "IfNotPresent",
                             "env": .array(env.map { .object(["name": .string($0.0), "value": .string($0.1)]) })]),
                    .object(["name": "sidecar", "image": "proxy:2"]),
                ])])]),
            ]),
        ])
    }

    @Test func equalObjectsGiveAnEmptyPatch() {
        let object = Self.deployment(env: [("A", "1")])
        #expect(TwoWayMergePatch.create(from: object, to: object) == .object([:]))
    }

    @Test func aChangedVariableIsSentByMergeKeyWithItsContainer() throws {
        let patch = TwoWayMergePatch.create(from: Self.deployment(env: [("A", "1"), ("CHAOS", "0.5")]),
                                            to: Self.deployment(env: [("A", "1"), ("CHAOS", "0")]))
        #expect(patch == .object(["spec": .object(["template": .object(["spec": .object(["containers": .array([
            .object(["name": "app", "env": .array([.object(["name": "CHAOS", "value": "0"])])]),
        ])])])])]))
    }

    @Test func removedElementsAreDeletedAndRemovedKeysNulled() {
        var after = Self.deployment(env: [("A", "1")])
        after[path: ["spec", "replicas"]] = nil
        let patch = TwoWayMergePatch.create(from: Self.deployment(env: [("A", "1"), ("GONE", "x")]), to: after)
        #expect(patch["spec"]?["replicas"] == .null)
        #expect(patch["spec"]?["template"]?["spec"]?["containers"]?.array?.first?["env"] == .array([
            .object(["name": "GONE", "$patch": "delete"]),
        ]))
    }

    /// Applied to the original, the patch gives the modified object: the two directions agree.
    @Test func thePatchAppliedToTheOriginalGivesTheModified() throws {
        let before = Self.deployment(env: [("A", "1"), ("B", "2")], image: "shop:1.0", replicas: 2)
        let after = Self.deployment(env: [("A", "1"), ("C", "3")], image: "shop:1.1", replicas: 4)
        let patch = TwoWayMergePatch.create(from: before, to: after)
        #expect(try Patcher.apply(patch, type: .strategicMerge, to: before) == after)
    }
}
