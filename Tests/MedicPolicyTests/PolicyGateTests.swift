import Foundation
import MedicKube
import MedicRemediation
import Testing
@testable import MedicPolicy

@Suite struct PolicyGateTests {
    static let now = RFC3339.parse("2026-11-20T03:00:00Z")!  // a Friday
    static let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
    static let other = ObjectRef(kind: "Deployment", namespace: "shop", name: "worker")

    static func allowAll(_ configure: (inout Policy) -> Void = { _ in }) -> Policy {
        var policy = Policy(name: "test", mode: .apply, actions: ActionRules(default: .allowed))
        configure(&policy)
        return policy
    }

    static func decide(_ action: Action, on target: ObjectRef = api, policy: Policy,
                       context: DecisionContext = DecisionContext(now: now)) -> Decision {
        PolicyGate(policy: policy).decide(Remediation(target: target, action: action), context: context)
    }

    static func history(_ starts: [(ObjectRef, TimeInterval, Bool)]) -> ActionHistory {
        var history = ActionHistory()
        for (index, (target, ago, finished)) in starts.enumerated() {
            history.recordStart(actionID: "a\(index + 1)", target: target, kind: .rolloutRestart, at: now.addingTimeInterval(-ago))
            if finished { history.recordFinish(actionID: "a\(index + 1)", at: now.addingTimeInterval(-ago + 5)) }
        }
        return history
    }

    @Test func allowedActionIsAllowed() {
        #expect(Self.decide(.rolloutRestart, policy: Self.allowAll()) == .allow)
    }

    @Test func notifyIsAlwaysAllowed() {
        var policy = Self.allowAll { $0.actions = ActionRules(default: .denied) }
        policy.namespaces = NamespaceScope(include: [Glob("nothing")])
        policy.freezes = [FreezeWindow(.absolute(start: .distantPast, end: .distantFuture), reason: "forever")]
        let context = DecisionContext(now: Self.now, target: ObjectLabels(labels: ["medic.io/ignore": "true"]))
        #expect(Self.decide(.notify(message: "look"), policy: policy, context: context) == .allow)
    }

    /// A live patch of what Argo CD or Flux owns would be reverted at the next sync.
    @Test func gitopsOwnedTargetsAreNotChangedLive() {
        for (labels, annotations, owner) in [
            (["argocd.argoproj.io/instance": "shop"], [:], "Argo CD application 'shop' (label argocd.argoproj.io/instance)"),
            ([:], ["argocd.argoproj.io/tracking-id": "shop:apps/Deployment:shop/api"],
             "Argo CD application 'shop' (annotation argocd.argoproj.io/tracking-id)"),
            (["kustomize.toolkit.fluxcd.io/name": "apps"], [:], "Flux Kustomization 'apps' (label kustomize.toolkit.fluxcd.io/name)"),
            (["helm.toolkit.fluxcd.io/name": "api"], [:], "Flux HelmRelease 'api' (label helm.toolkit.fluxcd.io/name)"),
        ] as [([String: String], [String: String], String)] {
            let context = DecisionContext(now: Self.now, target: ObjectLabels(labels: labels, annotations: annotations))
            #expect(Self.decide(.scale(replicas: 3), policy: Self.allowAll(), context: context) == .deny(reasons: [
                Reason(.gitops, "Deployment shop/api is managed by \(owner): its sync would revert a live change, so make it in the Git repository it syncs from (policy gitops: propose)"),
            ]))
            #expect(Self.decide(.scale(replicas: 3), policy: Self.allowAll { $0.gitops = .live }, context: context) == .allow)
            #expect(Self.decide(.notify(message: "look"), policy: Self.allowAll(), context: context) == .allow)
        }
        let reconcileDisabled = DecisionContext(now: Self.now, target: ObjectLabels(
            labels: ["kustomize.toolkit.fluxcd.io/name": "apps"], annotations: ["kustomize.toolkit.fluxcd.io/reconcile": "disabled"]))
        #expect(Self.decide(.scale(replicas: 3), policy: Self.allowAll(), context: reconcileDisabled) == .allow)
    }

    /// `gitops: suspend`: an owned target is changed live only once its owner's sync reads
    /// suspended; `suspend-sync` only under `suspend`, and not on an Argo CD-synced syncer.
    @Test func gitopsSuspend() {
        let owned = ObjectLabels(labels: ["kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"])
        let syncer = ObjectRef(kind: "Kustomization", namespace: "flux-system", name: "apps")
        let suspend = Self.allowAll { $0.gitops = .suspend }
        let owner = "Flux Kustomization 'apps' (label kustomize.toolkit.fluxcd.io/name)"
        func context(_ sync: SyncState?, _ target: ObjectLabels = owned) -> DecisionContext {
            DecisionContext(now: Self.now, target: target, sync: sync)
        }
        #expect(Self.decide(.scale(replicas: 3), policy: suspend, context: context(.suspended)) == .allow)
        #expect(Self.decide(.scale(replicas: 3), policy: suspend, context: context(.running(syncer))) == .deny(reasons: [
            Reason(.gitops, "Deployment shop/api is managed by \(owner), whose sync would revert a live change: medic suspends Kustomization flux-system/apps first (suspend-sync), then changes it (policy gitops: suspend)"),
        ]))
        #expect(Self.decide(.scale(replicas: 3), policy: suspend, context: context(.unknown("403"))) == .deny(reasons: [
            Reason(.gitops, "Deployment shop/api is managed by \(owner) and whether its sync is suspended is unknown (403), so nothing is changed live (policy gitops: suspend)"),
        ]))
        #expect(Self.decide(.scale(replicas: 3), policy: suspend, context: context(nil)) == .deny(reasons: [
            Reason(.gitops, "Deployment shop/api is managed by \(owner) and its sync was not read, so nothing is changed live (policy gitops: suspend)"),
        ]))
        // A suspended owner does not lift the propose rule.
        #expect(Self.decide(.scale(replicas: 3), policy: Self.allowAll(), context: context(.suspended)).verdict == "denied")
        // An object nobody owns needs no sync state.
        #expect(Self.decide(.scale(replicas: 3), policy: suspend, context: context(nil, ObjectLabels())) == .allow)

        let suspendSync = Action.suspendSync(.fluxKustomization)
        #expect(Self.decide(suspendSync, on: syncer, policy: suspend, context: context(nil, ObjectLabels())) == .allow)
        #expect(Self.decide(suspendSync, on: syncer, policy: suspend,
                            context: context(nil, ObjectLabels(labels: ["kustomize.toolkit.fluxcd.io/name": "flux-system"]))) == .allow)
        #expect(Self.decide(suspendSync, on: syncer, policy: Self.allowAll(), context: context(nil, ObjectLabels())) == .deny(reasons: [
            Reason(.gitops, "suspend-sync is only sent under policy gitops: suspend, not gitops: propose"),
        ]))
        let argoApp = ObjectRef(kind: "Application", namespace: "argocd", name: "shop")
        #expect(Self.decide(.suspendSync(.argoCDApplication), on: argoApp, policy: suspend,
                            context: context(nil, ObjectLabels(labels: ["argocd.argoproj.io/instance": "root"]))) == .deny(reasons: [
            Reason(.gitops, "Application argocd/shop is itself synced by Argo CD application 'root' (label argocd.argoproj.io/instance), which would switch its automated sync back on: suspend the parent application by hand, or fix it in Git"),
        ]))
        // The actions rule governs it like any other action.
        let denied = Self.allowAll { $0.gitops = .suspend; $0.actions = ActionRules([.suspendSync: ActionRule(.denied)], default: .allowed) }
        #expect(Self.decide(suspendSync, on: syncer, policy: denied, context: context(nil, ObjectLabels())).verdict == "denied")
    }

    /// A rollback is judged as its action is, without the action's own cooldown, caps or count.
    @Test func rollbackIsJudgedLikeItsAction() {
        let history = Self.history([(Self.api, 60, true)])
        let context = DecisionContext(now: Self.now, history: history)
        let strict = Self.allowAll {
            $0.cooldown = 3600
            $0.targetRateLimit = RateLimit(max: 1, window: 3600)
            $0.caps.maxReplicas = 1
        }
        let gate = { (policy: Policy, context: DecisionContext) in
            PolicyGate(policy: policy).decideRollback(of: "a1", kind: .scale, on: Self.api, context: context)
        }
        #expect(gate(strict, context) == .allow)
        #expect(gate(Self.allowAll { $0.actions = ActionRules([.scale: ActionRule(.needsApproval)], default: .allowed) }, context) == .deny(reasons: [
            Reason(.action, "rolling back scale needs actions.scale allowed (it is needs-approval); a human decides instead"),
        ]))
        #expect(gate(Self.allowAll { $0.namespaces = NamespaceScope(include: [Glob("other")]) }, context).verdict == "denied")
        // Another action on the target, or the global limit reached by others, still count.
        let busy = DecisionContext(now: Self.now, history: Self.history([(Self.api, 60, true), (Self.api, 30, false)]))
        #expect(gate(strict, busy).reasons.map(\.rule) == [.inFlight, .rateLimit])
        let global = DecisionContext(now: Self.now, history: Self.history([(Self.api, 60, true), (Self.other, 30, true)]))
        #expect(gate(Self.allowAll { $0.globalRateLimit = RateLimit(max: 1, window: 3600) }, global).reasons.map(\.rule) == [.rateLimit])
    }

    @Test func namespaceGlobs() {
        let policy = Self.allowAll { $0.namespaces = NamespaceScope(include: [Glob("team-*"), Glob("sho?")], exclude: [Glob("team-secret*")]) }
        #expect(Self.decide(.rolloutRestart, policy: policy) == .allow)
        #expect(Self.decide(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "team-a", name: "x"), policy: policy) == .allow)
        #expect(Self.decide(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "team-secret-1", name: "x"), policy: policy)
            == .deny(reasons: [Reason(.namespace, "namespace team-secret-1 is excluded by namespaces.exclude (team-secret*)")]))
        #expect(Self.decide(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "shopping", name: "x"), policy: policy)
            == .deny(reasons: [Reason(.namespace, "namespace shopping is not in namespaces.include (team-*, sho?)")]))
    }

    @Test func kubeSystemIsExcludedByDefault() {
        let target = ObjectRef(kind: "DaemonSet", namespace: "kube-system", name: "kube-proxy")
        #expect(Self.decide(.rolloutRestart, on: target, policy: Self.allowAll())
            == .deny(reasons: [Reason(.namespace, "namespace kube-system is excluded by namespaces.exclude (kube-system)")]))
    }

    @Test func optOutOnObjectAndNamespaceByLabelOrAnnotation() {
        let policy = Self.allowAll()
        let mark = ["medic.io/ignore": "true"]
        let cases: [(DecisionContext, String)] = [
            (DecisionContext(now: Self.now, target: ObjectLabels(labels: mark)), "Deployment shop/api opts out with the label medic.io/ignore=true"),
            (DecisionContext(now: Self.now, target: ObjectLabels(annotations: mark)), "Deployment shop/api opts out with the annotation medic.io/ignore=true"),
            (DecisionContext(now: Self.now, namespace: ObjectLabels(labels: mark)), "namespace shop opts out with the label medic.io/ignore=true"),
            (DecisionContext(now: Self.now, namespace: ObjectLabels(annotations: mark)), "namespace shop opts out with the annotation medic.io/ignore=true"),
        ]
        for (context, message) in cases {
            #expect(Self.decide(.rolloutRestart, policy: policy, context: context) == .deny(reasons: [Reason(.optOut, message)]))
        }
        let notQuite = DecisionContext(now: Self.now, target: ObjectLabels(labels: ["medic.io/ignore": "false"]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: notQuite) == .allow)
        let custom = Self.allowAll { $0.optOut = LabelMatch(key: "ops/hands-off", value: "yes") }
        #expect(Self.decide(.rolloutRestart, policy: custom, context: cases[0].0) == .allow)
        #expect(Self.decide(.rolloutRestart, policy: custom,
                            context: DecisionContext(now: Self.now, target: ObjectLabels(labels: ["ops/hands-off": "yes"])))
            == .deny(reasons: [Reason(.optOut, "Deployment shop/api opts out with the label ops/hands-off=yes")]))
    }

    @Test func chaosNamespaceIsLeftAlone() {
        let context = DecisionContext(now: Self.now, namespace: ObjectLabels(labels: ["medic.io/chaos": "true"]))
        #expect(Self.decide(.setEnv(container: nil, variables: [EnvAssignment(name: "CHAOS_RATE", value: "0")]), policy: Self.allowAll(), context: context)
            == .deny(reasons: [Reason(.chaos, "namespace shop is labelled medic.io/chaos=true: its faults are intended chaos experiments")]))
        #expect(Self.decide(.notify(message: "chaos is on"), policy: Self.allowAll(), context: context) == .allow)
    }

    @Test func actionTypes() {
        let policy = Self.allowAll {
            $0.actions = ActionRules([.rolloutRestart: ActionRule(.allowed), .deletePod: ActionRule(.denied),
                                      .scale: ActionRule(.needsApproval)], default: .denied)
        }
        #expect(Self.decide(.rolloutRestart, policy: policy) == .allow)
        #expect(Self.decide(.deletePod(name: "api-1"), policy: policy)
            == .deny(reasons: [Reason(.action, "actions.delete-pod is denied")]))
        #expect(Self.decide(.scale(replicas: 3), policy: policy)
            == .needsApproval(Remediation(target: Self.api, action: .scale(replicas: 3)), reasons: [Reason(.action, "actions.scale is needs-approval")]))
        #expect(Self.decide(.rolloutUndo(toRevision: nil), policy: policy)
            == .deny(reasons: [Reason(.action, "rollout-undo is not listed in actions, so actions.default applies (denied)")]))
    }

    @Test func patchServicePortIsJudgedByItsOwnRule() {
        let gateway = ObjectRef(kind: "Service", namespace: "shop", name: "gateway")
        let action = Action.patchServicePort(index: 0, from: .int(8080), to: .int(3000))
        let approval = Self.allowAll {
            $0.actions = ActionRules([.patchSelector: ActionRule(.allowed), .patchServicePort: ActionRule(.needsApproval)], default: .denied)
        }
        #expect(Self.decide(action, on: gateway, policy: approval)
            == .needsApproval(Remediation(target: gateway, action: action), reasons: [Reason(.action, "actions.patch-service-port is needs-approval")]))
        let unlisted = Self.allowAll { $0.actions = ActionRules([.patchSelector: ActionRule(.allowed)], default: .denied) }
        #expect(Self.decide(action, on: gateway, policy: unlisted)
            == .deny(reasons: [Reason(.action, "patch-service-port is not listed in actions, so actions.default applies (denied)")]))
        let allowed = Self.allowAll { $0.actions = ActionRules([.patchServicePort: ActionRule(.allowed)], default: .denied) }
        #expect(Self.decide(action, on: gateway, policy: allowed) == .allow)
    }

    @Test func setEnvOnlyForChaosFlags() {
        let policy = Self.allowAll {
            $0.actions = ActionRules([.setEnv: ActionRule(.allowed, envNames: [Glob("CHAOS_*")], otherwise: .needsApproval),
                                      .unsetEnv: ActionRule(.allowed, envNames: [Glob("CHAOS_*")])])
        }
        let chaos = Action.setEnv(container: "api", variables: [EnvAssignment(name: "CHAOS_LATENCY", value: "0")])
        #expect(Self.decide(chaos, policy: policy) == .allow)
        let mixed = Action.setEnv(container: "api", variables: [EnvAssignment(name: "CHAOS_LATENCY", value: "0"),
                                                               EnvAssignment(name: "DB_URL", value: "x")])
        #expect(Self.decide(mixed, policy: policy) == .needsApproval(Remediation(target: Self.api, action: mixed), reasons: [
            Reason(.action, "set-env of DB_URL is outside actions.set-env.envNames (CHAOS_*), so otherwise applies (needs-approval)"),
        ]))
        #expect(Self.decide(.unsetEnv(container: nil, names: ["CHAOS_LATENCY"]), policy: policy) == .allow)
        #expect(Self.decide(.unsetEnv(container: nil, names: ["PATH"]), policy: policy) == .deny(reasons: [
            Reason(.action, "unset-env of PATH is outside actions.unset-env.envNames (CHAOS_*), so otherwise applies (denied)"),
        ]))
    }

    @Test func rateLimitPerTarget() {
        let policy = Self.allowAll { $0.targetRateLimit = RateLimit(max: 2, window: 3600) }
        let two = DecisionContext(now: Self.now, history: Self.history([(Self.api, 3000, true), (Self.api, 1000, true), (Self.other, 10, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: two)
            == .deny(reasons: [Reason(.rateLimit, "2 actions on Deployment shop/api in the last 1h; rateLimits.perTarget allows 2")]))
        #expect(Self.decide(.rolloutRestart, on: Self.other, policy: policy, context: two) == .allow)
        let oneExpired = DecisionContext(now: Self.now, history: Self.history([(Self.api, 4000, true), (Self.api, 1000, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: oneExpired) == .allow)
    }

    @Test func rateLimitGlobal() {
        let policy = Self.allowAll { $0.globalRateLimit = RateLimit(max: 2, window: 600) }
        let context = DecisionContext(now: Self.now, history: Self.history([(Self.other, 500, true), (Self.other, 100, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: context)
            == .deny(reasons: [Reason(.rateLimit, "2 actions in the last 10m; rateLimits.global allows 2")]))
        let older = DecisionContext(now: Self.now, history: Self.history([(Self.other, 700, true), (Self.other, 100, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: older) == .allow)
    }

    @Test func cooldownPerTarget() {
        let policy = Self.allowAll { $0.cooldown = 600 }
        let recent = DecisionContext(now: Self.now, history: Self.history([(Self.api, 120, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: recent) == .deny(reasons: [Reason(.cooldown,
            "the last action on Deployment shop/api started 2026-11-20T02:58:00Z; cooldown 10m lasts until 2026-11-20T03:08:00Z")]))
        #expect(Self.decide(.rolloutRestart, on: Self.other, policy: policy, context: recent) == .allow)
        let done = DecisionContext(now: Self.now, history: Self.history([(Self.api, 600, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: done) == .allow)
    }

    @Test func inFlightOnTheSameTargetIsNeverRepeated() {
        let context = DecisionContext(now: Self.now, history: Self.history([(Self.api, 7200, false)]))
        #expect(Self.decide(.rolloutRestart, policy: Self.allowAll(), context: context) == .deny(reasons: [Reason(.inFlight,
            "rollout-restart a1 on Deployment shop/api, started 2026-11-20T01:00:00Z, has no recorded outcome: check the object before acting on it again, then record what you found with medic audit resolve a1 --cluster --outcome applied|not-applied --reason …")]))
        #expect(Self.decide(.rolloutRestart, on: Self.other, policy: Self.allowAll(), context: context) == .allow)
    }

    @Test func maxConcurrent() {
        let policy = Self.allowAll { $0.maxConcurrent = 2 }
        let third = ObjectRef(kind: "Deployment", namespace: "shop", name: "cart")
        let busy = DecisionContext(now: Self.now, history: Self.history([(Self.other, 10, false), (third, 10, false)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: busy)
            == .deny(reasons: [Reason(.concurrency, "2 actions are in flight, the most maxConcurrent allows is 2")]))
        let oneDone = DecisionContext(now: Self.now, history: Self.history([(Self.other, 10, false), (third, 10, true)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: oneDone) == .allow)
    }

    @Test func staleIntentsStopCountingAgainstMaxConcurrentButStillBlockTheirTarget() {
        let policy = Self.allowAll { $0.maxConcurrent = 2 }
        let third = ObjectRef(kind: "Deployment", namespace: "shop", name: "cart")
        // Two crashes an hour ago left two intents without outcomes.
        let stale = DecisionContext(now: Self.now, history: Self.history([(Self.other, 3600, false), (third, 3600, false)]))
        #expect(Self.decide(.rolloutRestart, policy: policy, context: stale) == .allow)
        #expect(Self.decide(.rolloutRestart, on: third, policy: policy, context: stale).reasons.map(\.rule) == [.inFlight])
        let mixed = DecisionContext(now: Self.now, history: Self.history([(Self.other, 60, false), (third, 60, false), (Self.api, 3600, false)]))
        #expect(Self.decide(.rolloutRestart, on: ObjectRef(kind: "Deployment", namespace: "shop", name: "web"), policy: policy, context: mixed)
            == .deny(reasons: [Reason(.concurrency, "2 actions are in flight, the most maxConcurrent allows is 2 (1 older than inFlightExpiry 30m not counted)")]))
    }

    @Test func absoluteFreeze() {
        let freeze = FreezeWindow(.absolute(start: RFC3339.parse("2026-11-20T00:00:00Z")!, end: RFC3339.parse("2026-11-20T03:00:00Z")!),
                                  reason: "release")
        let policy = Self.allowAll { $0.freezes = [freeze] }
        #expect(Self.decide(.rolloutRestart, policy: policy, context: DecisionContext(now: Self.now.addingTimeInterval(-1)))
            == .deny(reasons: [Reason(.freeze, "change freeze 2026-11-20T00:00:00Z – 2026-11-20T03:00:00Z: release")]))
        #expect(Self.decide(.rolloutRestart, policy: policy) == .allow, "the end is exclusive")
    }

    @Test func weeklyFreezeInItsTimeZoneAndPastMidnight() {
        // Friday 22:00 to 06:00 in Berlin (UTC+1 in November): 21:00Z Friday to 05:00Z Saturday.
        let freeze = FreezeWindow(.weekly(days: [.fri], from: 22 * 60, to: 6 * 60, timeZone: TimeZone(identifier: "Europe/Berlin")!),
                                  reason: "friday night")
        let policy = Self.allowAll { $0.freezes = [freeze] }
        let denial = Decision.deny(reasons: [Reason(.freeze, "change freeze fri 22:00–06:00 Europe/Berlin: friday night")])
        for (time, frozen) in [("2026-11-20T20:59:00Z", false), ("2026-11-20T21:00:00Z", true), ("2026-11-21T04:59:00Z", true),
                               ("2026-11-21T05:00:00Z", false), ("2026-11-21T21:30:00Z", false), ("2026-11-19T23:00:00Z", false)] {
            let decision = Self.decide(.rolloutRestart, policy: policy, context: DecisionContext(now: RFC3339.parse(time)!))
            #expect(decision == (frozen ? denial : .allow), "\(time)")
        }
        let weekend = FreezeWindow(.weekly(days: [.sat, .sun], from: 0, to: 24 * 60, timeZone: TimeZone(identifier: "UTC")!), reason: "weekend")
        #expect(weekend.contains(RFC3339.parse("2026-11-22T23:59:59Z")!))
        #expect(!weekend.contains(RFC3339.parse("2026-11-23T00:00:00Z")!))
    }

    @Test func maxReplicasCapsOrDenies() {
        let policy = Self.allowAll { $0.caps.maxReplicas = 10 }
        let capped = Self.decide(.scale(replicas: 30), policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 4)))
        #expect(capped == .capped(Remediation(target: Self.api, action: .scale(replicas: 10)),
                                  reasons: [Reason(.cap, "scale to 30 replicas capped to 10 by caps.maxReplicas 10")]))
        let pointless = Self.decide(.scale(replicas: 30), policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 10)))
        #expect(pointless == .deny(reasons: [Reason(.cap, "scale to 30 replicas exceeds caps.maxReplicas 10, and 10 replicas already run: capping would change nothing")]))
        #expect(Self.decide(.scale(replicas: 10), policy: policy) == .allow)
        var strict = policy
        strict.caps.onExceed = .deny
        #expect(Self.decide(.scale(replicas: 11), policy: strict)
            == .deny(reasons: [Reason(.cap, "scale to 11 replicas exceeds caps.maxReplicas 10 (caps.onExceed: deny)")]))
    }

    @Test func maxScaleFactor() {
        let policy = Self.allowAll { $0.caps.maxScaleFactor = 2 }
        #expect(Self.decide(.scale(replicas: 9), policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 3)))
            == .capped(Remediation(target: Self.api, action: .scale(replicas: 6)),
                       reasons: [Reason(.cap, "scale to 9 replicas capped to 6 by caps.maxScaleFactor 2 × 3 current replicas = 6")]))
        #expect(Self.decide(.scale(replicas: 6), policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 3))) == .allow)
        #expect(Self.decide(.scale(replicas: 5), policy: policy)
            == .deny(reasons: [Reason(.cap, "caps.maxScaleFactor needs the current replica count, which is unknown")]))
        #expect(Self.decide(.scale(replicas: 2), policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 0))) == .allow,
                "scaling up from zero is bounded by maxReplicas only")
        let both = Self.allowAll { $0.caps.maxScaleFactor = 3; $0.caps.maxReplicas = 5 }
        #expect(Self.decide(.scale(replicas: 20), policy: both, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 4)))
            == .capped(Remediation(target: Self.api, action: .scale(replicas: 5)),
                       reasons: [Reason(.cap, "scale to 20 replicas capped to 5 by caps.maxReplicas 5")]))
    }

    @Test func maxMemoryLimit() {
        let policy = Self.allowAll { $0.caps.maxMemoryLimit = ("256Mi", 256 << 20) }
        let raise = Action.setResources(container: "api", limits: ["memory": "512Mi", "cpu": "2"], requests: ["memory": "300Mi"])
        #expect(Self.decide(raise, policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(memoryLimit: "128Mi")))
            == .capped(Remediation(target: Self.api, action: .setResources(container: "api", limits: ["memory": "256Mi", "cpu": "2"],
                                                                        requests: ["memory": "256Mi"])),
                       reasons: [Reason(.cap, "limits.memory 512Mi capped to 256Mi by caps.maxMemoryLimit"),
                                 Reason(.cap, "requests.memory 300Mi capped to 256Mi by caps.maxMemoryLimit")]))
        let atCap = Action.setResources(container: "api", limits: ["memory": "1Gi"], requests: [:])
        #expect(Self.decide(atCap, policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(memoryLimit: "0.25Gi")))
            == .deny(reasons: [Reason(.cap, "limits.memory 1Gi exceeds caps.maxMemoryLimit 256Mi, and the limit is already 0.25Gi: capping would change nothing")]))
        #expect(Self.decide(.setResources(container: nil, limits: ["memory": "268435456"], requests: [:]), policy: policy) == .allow)
        #expect(Self.decide(.setResources(container: nil, limits: ["memory": "big"], requests: [:]), policy: policy)
            == .deny(reasons: [Reason(.cap, "limits.memory big is not a quantity medic can compare with caps.maxMemoryLimit 256Mi")]))
        var strict = policy
        strict.caps.onExceed = .deny
        #expect(Self.decide(atCap, policy: strict)
            == .deny(reasons: [Reason(.cap, "limits.memory 1Gi exceeds caps.maxMemoryLimit 256Mi (caps.onExceed: deny)")]))
    }

    @Test func maxPoolSize() {
        let policy = Self.allowAll { $0.caps.maxPoolSize = 50; $0.caps.poolSizeEnv = [Glob("*_POOL_SIZE")] }
        let raise = Action.setEnv(container: "api", variables: [EnvAssignment(name: "DB_POOL_SIZE", value: "80"),
                                                               EnvAssignment(name: "LOG_LEVEL", value: "9000")])
        #expect(Self.decide(raise, policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(env: ["DB_POOL_SIZE": "20"])))
            == .capped(Remediation(target: Self.api, action: .setEnv(container: "api", variables: [
                EnvAssignment(name: "DB_POOL_SIZE", value: "50"), EnvAssignment(name: "LOG_LEVEL", value: "9000")])),
                       reasons: [Reason(.cap, "DB_POOL_SIZE=80 capped to 50 by caps.maxPoolSize")]))
        #expect(Self.decide(raise, policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(env: ["DB_POOL_SIZE": "50"])))
            == .deny(reasons: [Reason(.cap, "DB_POOL_SIZE=80 exceeds caps.maxPoolSize 50, and it is already 50: capping would change nothing")]))
        #expect(Self.decide(.setEnv(container: nil, variables: [EnvAssignment(name: "DB_POOL_SIZE", value: "lots")]), policy: policy)
            == .deny(reasons: [Reason(.cap, "DB_POOL_SIZE=lots is a pool size (caps.poolSizeEnv) but not a whole number, so caps.maxPoolSize cannot be checked")]))
    }

    @Test func approvalCarriesTheCappedAction() {
        let policy = Self.allowAll {
            $0.actions = ActionRules([.scale: ActionRule(.needsApproval)])
            $0.caps.maxReplicas = 4
        }
        #expect(Self.decide(.scale(replicas: 8), policy: policy, context: DecisionContext(now: Self.now, current: CurrentState(replicas: 2)))
            == .needsApproval(Remediation(target: Self.api, action: .scale(replicas: 4)), reasons: [
                Reason(.action, "actions.scale is needs-approval"), Reason(.cap, "scale to 8 replicas capped to 4 by caps.maxReplicas 4"),
            ]))
    }

    @Test func everyRefusalIsListed() {
        let policy = Self.allowAll {
            $0.actions = ActionRules(default: .denied)
            $0.cooldown = 600
        }
        let context = DecisionContext(now: Self.now, target: ObjectLabels(labels: ["medic.io/ignore": "true"]),
                                      history: Self.history([(Self.api, 60, true)]))
        let reasons = Self.decide(.rolloutRestart, policy: policy, context: context).reasons.map(\.rule)
        #expect(reasons == [.optOut, .action, .cooldown])
    }

    @Test func globMatching() {
        #expect(Glob("*").matches(""))
        #expect(Glob("a*b*c").matches("aXXbYYc"))
        #expect(!Glob("a*b*c").matches("aXXbYY"))
        #expect(Glob("?x").matches("ax"))
        #expect(!Glob("?x").matches("x"))
        #expect(Glob("*_POOL_SIZE").matches("DB_POOL_SIZE"))
        #expect(!Glob("kube-system").matches("kube-system2"))
    }
}
