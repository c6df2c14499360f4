import Foundation
import MedicKube
import MedicRemediation
import MedicRunbook
import Testing
@testable import MedicPolicy

@Suite struct PolicyLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every field, each set away from its default.
    static let full = """
    apiVersion: medic.io/v1
    kind: Policy
    metadata:
      name: full
      description: every field
    spec:
      mode: dry-run
      namespaces:
        include: ["team-*", "shop"]
        exclude: ["team-secret"]
      actions:
        default: denied
        notify: allowed
        rollout-restart: allowed
        scale: needs-approval
        set-env:
          permission: allowed
          envNames: ["CHAOS_*"]
          otherwise: needs-approval
        unset-env:
          permission: allowed
          envNames: ["CHAOS_*"]
      rateLimits:
        global: {max: 10, window: 1h}
        perTarget: {max: 2, window: 30m}
      cooldown: 5m
      maxConcurrent: 3
      freezes:
        - reason: holidays
          start: 2026-12-24T00:00:00Z
          end: 2026-12-27T00:00:00Z
        - reason: friday night
          weekly:
            days: [fri, sat]
            from: "22:00"
            to: "06:00"
            timeZone: Europe/Berlin
      caps:
        maxReplicas: 12
        maxScaleFactor: 1.5
        maxMemoryLimit: 2Gi
        maxPoolSize: 40
        poolSizeEnv: ["*_POOL_SIZE"]
        onExceed: deny
      optOut:
        key: example.com/hands-off
        value: "yes"
      chaos:
        key: example.com/chaos
        value: "on"
      entrypoints: [shop/frontend, edge/api-gateway]
      gitops: live
    """

    @Test func everyFieldIsRead() throws {
        let policy = try PolicyLoader.parse(Self.full, file: "p.yaml")
        #expect(policy.name == "full")
        #expect(policy.mode == .dryRun)
        #expect(policy.namespaces == NamespaceScope(include: [Glob("team-*"), Glob("shop")], exclude: [Glob("team-secret")]))
        #expect(policy.actions.defaultPermission == .denied)
        #expect(policy.actions.rules[.notify] == nil)
        #expect(policy.actions.rules[.rolloutRestart] == ActionRule(.allowed))
        #expect(policy.actions.rules[.scale] == ActionRule(.needsApproval))
        #expect(policy.actions.rules[.setEnv] == ActionRule(.allowed, envNames: [Glob("CHAOS_*")], otherwise: .needsApproval))
        #expect(policy.actions.rules[.unsetEnv] == ActionRule(.allowed, envNames: [Glob("CHAOS_*")], otherwise: .denied))
        #expect(policy.globalRateLimit == RateLimit(max: 10, window: 3600))
        #expect(policy.targetRateLimit == RateLimit(max: 2, window: 1800))
        #expect(policy.cooldown == 300)
        #expect(policy.maxConcurrent == 3)
        #expect(policy.freezes == [
            FreezeWindow(.absolute(start: RFC3339.parse("2026-12-24T00:00:00Z")!, end: RFC3339.parse("2026-12-27T00:00:00Z")!),
                         reason: "holidays"),
            FreezeWindow(.weekly(days: [.fri, .sat], from: 22 * 60, to: 6 * 60, timeZone: TimeZone(identifier: "Europe/Berlin")!),
                         reason: "friday night"),
        ])
        #expect(policy.caps == Caps(maxReplicas: 12, maxScaleFactor: 1.5, maxMemoryLimit: ("2Gi", 2 << 30), maxPoolSize: 40,
                                    poolSizeEnv: [Glob("*_POOL_SIZE")], onExceed: .deny))
        #expect(policy.optOut == LabelMatch(key: "example.com/hands-off", value: "yes"))
        #expect(policy.chaos == LabelMatch(key: "example.com/chaos", value: "on"))
        #expect(policy.entryPoints == [ObjectRef(kind: "Service", namespace: "shop", name: "frontend"),
                                       ObjectRef(kind: "Service", namespace: "edge", name: "api-gateway")])
        #expect(policy.gitops == .live)
    }

    @Test func defaultsApplyWhenFieldsAreLeftOut() throws {
        let policy = try PolicyLoader.parse("""
        apiVersion: medic.io/v1
        kind: Policy
        metadata: {name: small}
        spec: {mode: apply}
        """, file: "p.yaml")
        #expect(policy == Policy(name: "small", mode: .apply))
        #expect(policy.namespaces.exclude == [Glob("kube-system")])
        #expect(policy.namespaces.include == [Glob("*")])
        #expect(policy.actions.defaultPermission == .denied)
        #expect(policy.optOut == LabelMatch(key: "medic.io/ignore", value: "true"))
        #expect(policy.chaos == LabelMatch(key: "medic.io/chaos", value: "true"))
        #expect(policy.caps.onExceed == .cap)
        #expect(policy.gitops == .propose)
    }

    @Test func shippedDefaultPolicyOnlyAdvises() throws {
        let policy = try PolicyLoader.loadFile(Self.repository.appendingPathComponent("policies/default.yaml"))
        #expect(policy.name == "default")
        #expect(policy.mode == .advise)
        #expect(policy.effectiveMode(requested: .apply) == .advise)
        #expect(policy.actions == ActionRules(default: .needsApproval))
        #expect(policy.namespaces.exclude == [Glob("kube-system"), Glob("kube-public"), Glob("kube-node-lease")])
    }

    @Test func shippedDemoPolicyAllowsTheServiceFixes() throws {
        let policy = try PolicyLoader.loadFile(Self.repository.appendingPathComponent("policies/demo.yaml"))
        #expect(policy.actions.defaultPermission == .denied)
        for kind in [ActionKind.patchProbe, .patchSelector, .patchServicePort] {
            #expect(policy.actions.rules[kind] == ActionRule(.allowed))
        }
        #expect(policy.actions.rules[.deletePod] == ActionRule(.denied))
    }

    @Test func shippedProductionPolicy() throws {
        let policy = try PolicyLoader.loadFile(Self.repository.appendingPathComponent("policies/production.yaml"))
        #expect(policy.mode == .apply)
        #expect(policy.actions.defaultPermission == .needsApproval)
        for kind in [ActionKind.rolloutRestart, .setResources, .scale] {
            #expect(policy.actions.rules[kind] == ActionRule(.allowed))
        }
        for kind in [ActionKind.deletePod, .rolloutUndo, .setImage, .patchProbe, .patchSelector, .patchServicePort] {
            #expect(policy.actions.rules[kind] == ActionRule(.needsApproval))
        }
        #expect(policy.actions.rules[.setEnv]?.otherwise == .needsApproval)
        #expect(policy.actions.rules[.setEnv]?.envNames?.anyMatches("CHAOS_LATENCY_MS") == true)
        #expect(policy.actions.rules[.setEnv]?.envNames?.anyMatches("PAYMENTS_FAILURE_RATE") == true)
        #expect(policy.actions.rules[.setEnv]?.envNames?.anyMatches("DB_POOL_SIZE") == false)
        #expect(policy.globalRateLimit == RateLimit(max: 10, window: 3600))
        #expect(policy.targetRateLimit == RateLimit(max: 3, window: 3600))
        #expect(policy.cooldown == 600)
        #expect(policy.maxConcurrent == 2)
        #expect(policy.freezes.map(\.reason) == ["year-end change freeze; page the on-call human instead"])
        #expect(policy.caps == Caps(maxReplicas: 20, maxScaleFactor: 2, maxMemoryLimit: ("4Gi", 4 << 30), maxPoolSize: 50,
                                    poolSizeEnv: [Glob("*POOL_SIZE"), Glob("*POOL_MAX"), Glob("*MAX_CONNECTIONS")], onExceed: .cap))
    }

    @Test func cliModeMayLowerButNeverRaise() {
        for policyMode in Mode.allCases {
            let policy = Policy(name: "p", mode: policyMode)
            #expect(policy.effectiveMode(requested: nil) == policyMode)
            for requested in Mode.allCases {
                let effective = policy.effectiveMode(requested: requested)
                #expect(effective <= policyMode)
                #expect(effective == (requested < policyMode ? requested : policyMode))
            }
        }
        #expect(Policy(name: "p", mode: .dryRun).effectiveMode(requested: .apply) == .dryRun)
        #expect(Policy(name: "p", mode: .apply).effectiveMode(requested: .advise) == .advise)
    }

    /// `spec:` followed by `body`, indented by two: errors then sit at line 5 + the body's line.
    private func specError(_ body: String) -> String? {
        let text = "apiVersion: medic.io/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  mode: apply\n"
            + body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        return error(text)
    }

    private func error(_ text: String) -> String? {
        do {
            _ = try PolicyLoader.parse(text, file: "p.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func headerErrors() {
        #expect(error("apiVersion: medic.io/v2\nkind: Policy\nmetadata: {name: p}\nspec: {mode: apply}")
            == "p.yaml:1:13: apiVersion: unsupported apiVersion 'medic.io/v2' (expected medic.io/v1)")
        #expect(error("apiVersion: medic.io/v1\nkind: Runbook\nmetadata: {name: p}\nspec: {mode: apply}")
            == "p.yaml:2:7: kind: expected kind: Policy, found 'Runbook'")
        #expect(error("apiVersion: medic.io/v1\nkind: Policy\nmetadata: {name: Prod}\nspec: {mode: apply}")
            == "p.yaml:3:18: metadata.name: a policy name is lowercase letters, digits and '-', like 'production'")
        #expect(error("apiVersion: medic.io/v1\nkind: Policy\nmetadata: {name: p}\nspec: {}")
            == "p.yaml:4:7: spec.mode: required field is missing")
        #expect(error("apiVersion: medic.io/v1\nkind: Policy\nmetadata: {name: p}\nspec: {mode: applied}")
            == "p.yaml:4:14: spec.mode: 'applied' is not one of advise, dry-run, apply")
        #expect(error("apiVersion: medic.io/v1\nkind: Policy\nmetadata: {name: p}\nspecs: {mode: apply}")
            == "p.yaml:4:1: specs: unknown field 'specs' (did you mean 'spec'?)")
        #expect(error("") == "p.yaml:1:1: the file is empty")
    }

    @Test func gitopsSuspendWithArgoCDNamespace() throws {
        let text = "apiVersion: medic.io/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  mode: apply\n"
        let scalar = try PolicyLoader.parse(text + "  gitops: suspend\n", file: "p.yaml")
        #expect(scalar.gitops == .suspend)
        #expect(scalar.argoCDNamespace == "argocd")
        let mapping = try PolicyLoader.parse(text + "  gitops: {mode: suspend, argoCDNamespace: gitops}\n", file: "p.yaml")
        #expect(mapping.gitops == .suspend)
        #expect(mapping.argoCDNamespace == "gitops")
        #expect(specError("gitops: pause")?.hasPrefix("p.yaml:6:11: spec.gitops: ") == true)
        #expect(specError("gitops: {argoCDNamespace: gitops}")?.hasPrefix("p.yaml:6:11: spec.gitops") == true)
        #expect(specError("gitops: {mode: suspend, argoCDNamespace: Argo_CD}")
            == "p.yaml:6:44: spec.gitops.argoCDNamespace: a namespace is lowercase letters, digits and '-', like 'argocd'")
        #expect(specError("gitops: {mode: suspend, namespace: argocd}")?.contains("unknown field 'namespace' (allowed: mode, argoCDNamespace)") == true)
    }

    @Test func specErrors() {
        #expect(specError("moed: apply") == "p.yaml:6:3: spec.moed: unknown field 'moed' (allowed: mode, namespaces, actions, rateLimits, cooldown, maxConcurrent, inFlightExpiry, remediationRetention, freezes, caps, optOut, chaos, entrypoints, gitops, notifications)")
        #expect(specError("entrypoints: [frontend]")
            == "p.yaml:6:17: spec.entrypoints[0]: an entry point is a Service as namespace/name, like 'shop/frontend'")
        #expect(specError("namespaces:\n  include: []")
            == "p.yaml:7:14: spec.namespaces.include: list at least one pattern")
        #expect(specError("namespaces:\n  exclude: [\"\"]")
            == "p.yaml:7:15: spec.namespaces.exclude[0]: a pattern cannot be empty")
        #expect(specError("actions:\n  rollout-restart: yes")
            == "p.yaml:7:22: spec.actions.rollout-restart: 'yes' is not one of allowed, needs-approval, denied")
        #expect(specError("actions:\n  rollout-restrat: allowed")
            == "p.yaml:7:5: spec.actions.rollout-restrat: unknown field 'rollout-restrat' (did you mean 'rollout-restart'?)")
        #expect(specError("actions:\n  notify: denied")
            == "p.yaml:7:13: spec.actions.notify: notify is always allowed: it changes nothing, so a policy can neither deny it nor ask approval for it")
        #expect(specError("actions:\n  scale:\n    permission: allowed\n    envNames: [X]")
            == "p.yaml:9:17: spec.actions.scale.envNames: envNames applies only to set-env and unset-env")
        #expect(specError("actions:\n  set-env:\n    permission: allowed\n    otherwise: denied")
            == "p.yaml:9:18: spec.actions.set-env.otherwise: otherwise needs envNames: it is the permission for variables outside them")
        #expect(specError("actions:\n  set-env:\n    envNames: [X]")
            == "p.yaml:8:7: spec.actions.set-env.permission: required field is missing")
        #expect(specError("rateLimits:\n  global: {max: 0, window: 1h}")
            == "p.yaml:7:19: spec.rateLimits.global.max: must be at least 1, found 0")
        #expect(specError("rateLimits:\n  perTarget: {max: 2, window: soon}")
            == "p.yaml:7:33: spec.rateLimits.perTarget.window: expected a duration such as 30s, 5m or 1h30m, found 'soon'")
        #expect(specError("rateLimits:\n  perTarget: {max: two, window: 1h}")
            == "p.yaml:7:22: spec.rateLimits.perTarget.max: expected a whole number, found 'two'")
        #expect(specError("cooldown: 0s") == "p.yaml:6:13: spec.cooldown: expected a duration such as 30s, 5m or 1h30m, found '0s'")
        #expect(specError("maxConcurrent: 0") == "p.yaml:6:18: spec.maxConcurrent: must be at least 1, found 0")
        #expect(specError("inFlightExpiry: soon") == "p.yaml:6:19: spec.inFlightExpiry: expected a duration such as 30s, 5m or 1h30m, found 'soon'")
    }

    @Test func freezeErrors() {
        #expect(specError("freezes:\n  - start: 2026-12-24T00:00:00Z\n    end: 2026-12-27T00:00:00Z")
            == "p.yaml:7:7: spec.freezes[0].reason: required field is missing")
        #expect(specError("freezes:\n  - reason: \" \"\n    start: 2026-12-24T00:00:00Z\n    end: 2026-12-27T00:00:00Z")
            == "p.yaml:7:15: spec.freezes[0].reason: say why changes are frozen; the reason is shown with every refusal")
        #expect(specError("freezes:\n  - reason: x")
            == "p.yaml:7:7: spec.freezes[0]: a freeze needs either weekly or start and end")
        #expect(specError("freezes:\n  - reason: x\n    start: 2026-12-24T00:00:00Z")
            == "p.yaml:7:7: spec.freezes[0].end: required field is missing")
        #expect(specError("freezes:\n  - reason: x\n    start: 2026-12-24\n    end: 2026-12-27T00:00:00Z")
            == "p.yaml:8:14: spec.freezes[0].start: expected an RFC 3339 time such as 2026-12-24T00:00:00Z, found '2026-12-24'")
        #expect(specError("freezes:\n  - reason: x\n    start: 2026-12-24T00:00:00Z\n    end: 2026-12-24T00:00:00Z")
            == "p.yaml:9:12: spec.freezes[0].end: end must be after start")
        #expect(specError("freezes:\n  - reason: x\n    weekly: {days: [sat], from: \"00:00\", to: \"24:00\"}\n    start: 2026-12-24T00:00:00Z")
            == "p.yaml:9:14: spec.freezes[0].start: a freeze is either weekly or start/end, not both")
        #expect(specError("freezes:\n  - reason: x\n    weekly: {days: [saturday], from: \"00:00\", to: \"24:00\"}")
            == "p.yaml:8:23: spec.freezes[0].weekly.days[0]: 'saturday' is not one of mon, tue, wed, thu, fri, sat, sun")
        #expect(specError("freezes:\n  - reason: x\n    weekly: {days: [], from: \"00:00\", to: \"24:00\"}")
            == "p.yaml:8:22: spec.freezes[0].weekly.days: list at least one day (mon, tue, wed, thu, fri, sat, sun)")
        #expect(specError("freezes:\n  - reason: x\n    weekly: {days: [sat], from: \"25:00\", to: \"24:00\"}")
            == "p.yaml:8:35: spec.freezes[0].weekly.from: expected a time of day as HH:MM (00:00 to 24:00), found '25:00'")
        #expect(specError("freezes:\n  - reason: x\n    weekly: {days: [sat], from: \"08:00\", to: \"08:00\"}")
            == "p.yaml:8:48: spec.freezes[0].weekly.to: from and to are the same time, so the window is empty")
        #expect(specError("freezes:\n  - reason: x\n    weekly: {days: [sat], from: \"08:00\", to: \"09:00\", timeZone: Mars/Olympus}")
            == "p.yaml:8:67: spec.freezes[0].weekly.timeZone: unknown time zone 'Mars/Olympus' (use an IANA name such as UTC or Europe/Berlin)")
    }

    @Test func capAndLabelErrors() {
        #expect(specError("caps:\n  maxReplicas: 0") == "p.yaml:7:18: spec.caps.maxReplicas: must be at least 1, found 0")
        #expect(specError("caps:\n  maxScaleFactor: 0.5")
            == "p.yaml:7:21: spec.caps.maxScaleFactor: maxScaleFactor must be at least 1 (1 forbids scaling up), found 0.5")
        #expect(specError("caps:\n  maxMemoryLimit: lots")
            == "p.yaml:7:21: spec.caps.maxMemoryLimit: \"lots\" is not a Kubernetes quantity: it does not start with a number")
        #expect(specError("caps:\n  maxMemoryLimit: 0Mi") == "p.yaml:7:21: spec.caps.maxMemoryLimit: maxMemoryLimit must be more than 0")
        #expect(specError("caps:\n  maxPoolSize: 50")
            == "p.yaml:7:18: spec.caps.maxPoolSize: maxPoolSize needs poolSizeEnv: the env var names (globs such as '*_POOL_SIZE') that hold pool sizes")
        #expect(specError("caps:\n  poolSizeEnv: [\"*_POOL_SIZE\"]")
            == "p.yaml:7:18: spec.caps.poolSizeEnv: poolSizeEnv without maxPoolSize caps nothing; add maxPoolSize")
        #expect(specError("caps:\n  onExceed: clamp") == "p.yaml:7:15: spec.caps.onExceed: 'clamp' is not one of cap, deny")
        #expect(specError("optOut:\n  key: \"\"\n  value: \"true\"") == "p.yaml:7:10: spec.optOut.key: a label key cannot be empty or contain spaces")
        #expect(specError("chaos:\n  key: medic.io/chaos") == "p.yaml:7:5: spec.chaos.value: required field is missing")
    }

    @Test func notificationTargets() throws {
        let policy = try PolicyLoader.parse("""
            apiVersion: medic.io/v1
            kind: Policy
            metadata: {name: p}
            spec:
              mode: apply
              notifications:
                - name: oncall-slack
                  slack: {url: {env: MEDIC_SLACK_WEBHOOK_URL}}
                  events: [finding, proposal, escalation]
                  severities: [critical, high]
                  namespaces: {include: ["prod-*"], exclude: [prod-sandbox]}
                  rateLimit: {max: 10, window: 30m}
                  retries: 5
                - name: pager
                  pagerduty: {routingKey: {file: /var/run/secrets/medic/pagerduty-key}}
                - name: relay
                  webhook: {url: "http://127.0.0.1:9000/medic", bearerToken: {env: RELAY_TOKEN}}
            """, file: "p.yaml")
        let targets = policy.notifications
        #expect(targets.map(\.name) == ["oncall-slack", "pager", "relay"])
        #expect(targets[0].service == .slack(url: .environment("MEDIC_SLACK_WEBHOOK_URL")))
        #expect(targets[0].events == [.finding, .proposal, .escalation])
        #expect(targets[0].severities == [.critical, .high])
        #expect(targets[0].rateLimit == RateLimit(max: 10, window: 1800) && targets[0].retries == 5)
        #expect(targets[0].routes(.finding, severity: .critical, namespace: "prod-eu"))
        #expect(!targets[0].routes(.finding, severity: .critical, namespace: "prod-sandbox"))
        #expect(!targets[0].routes(.finding, severity: .medium, namespace: "prod-eu"))
        #expect(!targets[0].routes(.action, severity: .critical, namespace: "prod-eu"))
        // Left out: every event, every severity, every namespace (kube-system too: telling is harmless).
        #expect(targets[1].service == .pagerDuty(routingKey: .file("/var/run/secrets/medic/pagerduty-key"), url: NotificationTarget.pagerDutyEventsURL))
        #expect(targets[1].routes(.resolved, severity: .low, namespace: "kube-system"))
        #expect(targets[1].rateLimit == NotificationTarget.defaultRateLimit && targets[1].retries == NotificationTarget.defaultRetries)
        #expect(targets[2].service == .webhook(url: .literal("http://127.0.0.1:9000/medic"), bearerToken: .environment("RELAY_TOKEN")))
        // A credential is resolved when it is used, and only where it comes from is ever said.
        #expect(targets[0].unresolvableSecrets(environment: ["MEDIC_SLACK_WEBHOOK_URL": "https://hooks.example/T/B/x"]).isEmpty)
        #expect(targets[0].unresolvableSecrets(environment: [:]) == ["environment variable MEDIC_SLACK_WEBHOOK_URL is not set or empty"])
        #expect(targets[1].unresolvableSecrets() == ["file /var/run/secrets/medic/pagerduty-key cannot be read or is empty"])
    }

    @Test func notificationErrors() {
        #expect(specError("notifications:\n  - name: a\n    slack: {url: {env: A}}\n    webhook: {url: http://x}")
            == "p.yaml:9:16: spec.notifications[0].webhook: a notification target is exactly one of slack, webhook or pagerduty")
        #expect(specError("notifications:\n  - name: a")
            == "p.yaml:7:7: spec.notifications[0]: a notification target is exactly one of slack, webhook or pagerduty")
        #expect(specError("notifications:\n  - name: Oncall\n    slack: {url: {env: A}}")
            == "p.yaml:7:13: spec.notifications[0].name: a notification target's name is lowercase letters, digits and '-', like 'oncall-slack'")
        #expect(specError("notifications:\n  - {name: a, slack: {url: {env: A}}}\n  - {name: a, slack: {url: {env: B}}}")
            == "p.yaml:8:14: spec.notifications[1].name: another notification target is already named 'a'")
        #expect(specError("notifications:\n  - name: a\n    slack: {url: hooks.slack.example/T1}")
            == "p.yaml:8:20: spec.notifications[0].slack.url: expected an http or https URL, or {env: NAME} / {file: PATH} holding one")
        #expect(specError("notifications:\n  - name: a\n    slack: {url: {env: 1BAD}}")
            == "p.yaml:8:26: spec.notifications[0].slack.url.env: '1BAD' is not an environment variable name")
        #expect(specError("notifications:\n  - name: a\n    pagerduty: {routingKey: {file: secrets/key}}")
            == "p.yaml:8:38: spec.notifications[0].pagerduty.routingKey.file: give the file as an absolute path, like /var/run/secrets/medic/slack-url")
        #expect(specError("notifications:\n  - name: a\n    pagerduty: {routingKey: {env: K, file: /k}}")
            == "p.yaml:8:37: spec.notifications[0].pagerduty.routingKey.env: give env or file, not both")
        #expect(specError("notifications:\n  - name: a\n    slack: {url: {env: A}}\n    events: [findings]")
            == "p.yaml:9:16: spec.notifications[0].events[0]: 'findings' is not one of finding, proposal, action, verification, escalation, resolved (did you mean 'finding'?)")
        #expect(specError("notifications:\n  - name: a\n    slack: {url: {env: A}}\n    severities: []")
            == "p.yaml:9:19: spec.notifications[0].severities: list at least one severity, or leave severities out for all of them")
        #expect(specError("notifications:\n  - name: a\n    slack: {url: {env: A}}\n    retries: 11")
            == "p.yaml:9:16: spec.notifications[0].retries: at most 10 retries: a receiver down for longer should not hold medic's queue")
        #expect(specError("notifications:\n  - name: a\n    slack: {url: {env: A}, channel: \"#oncall\"}")
            == "p.yaml:8:30: spec.notifications[0].slack.channel: unknown field 'channel' (allowed: url)")
    }
}
