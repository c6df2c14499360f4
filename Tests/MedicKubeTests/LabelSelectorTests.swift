import MedicKube
import Testing

@Suite struct LabelSelectorTests {
    let labels = ["app": "web", "tier": "frontend", "track": "stable"]

    @Test func matchLabels() {
        #expect(LabelSelector(matchLabels: ["app": "web"]).matches(labels))
        #expect(LabelSelector(matchLabels: ["app": "web", "tier": "frontend"]).matches(labels))
        #expect(!LabelSelector(matchLabels: ["app": "api"]).matches(labels))
        #expect(!LabelSelector(matchLabels: ["app": "web", "env": "prod"]).matches(labels))
    }

    @Test func emptySelectorMatchesEverything() {
        #expect(LabelSelector().matches(labels))
        #expect(LabelSelector().matches([:]))
    }

    @Test(arguments: [
        (LabelSelectorRequirement(key: "tier", operator: "In", values: ["frontend", "edge"]), true),
        (LabelSelectorRequirement(key: "tier", operator: "In", values: ["backend"]), false),
        (LabelSelectorRequirement(key: "env", operator: "In", values: ["prod"]), false),
        (LabelSelectorRequirement(key: "track", operator: "NotIn", values: ["canary"]), true),
        (LabelSelectorRequirement(key: "track", operator: "NotIn", values: ["stable"]), false),
        (LabelSelectorRequirement(key: "env", operator: "NotIn", values: ["prod"]), true),
        (LabelSelectorRequirement(key: "app", operator: "Exists"), true),
        (LabelSelectorRequirement(key: "env", operator: "Exists"), false),
        (LabelSelectorRequirement(key: "env", operator: "DoesNotExist"), true),
        (LabelSelectorRequirement(key: "app", operator: "DoesNotExist"), false),
        (LabelSelectorRequirement(key: "app", operator: "Matches", values: ["web"]), false),
    ])
    func matchExpression(requirement: LabelSelectorRequirement, expected: Bool) {
        #expect(LabelSelector(matchExpressions: [requirement]).matches(labels) == expected)
    }

    @Test func labelsAndExpressionsMustAllHold() {
        let selector = LabelSelector(
            matchLabels: ["app": "web"],
            matchExpressions: [LabelSelectorRequirement(key: "track", operator: "In", values: ["canary"])]
        )
        #expect(!selector.matches(labels))
        #expect(selector.matches(["app": "web", "track": "canary"]))
    }
}
