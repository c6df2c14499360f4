import Foundation
import MedicKube
import MedicRemediation
import Testing
@testable import MedicPolicy

/// Random remediations against random policies: whatever the gate lets through must be allowed
/// by an oracle that reads the policy its own way (regular expressions for globs, plain loops
/// for windows), and whatever the oracle finds unobjectionable the gate must allow as is.
@Suite struct PolicyPropertyTests {
    /// SplitMix64: small, seeded, the same sequence on every machine.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let now = RFC3339.parse("2026-11-20T03:00:00Z")!
    static let namespaces = ["shop", "team-a", "team-b", "kube-system", "payments"]
    static let patterns = ["*", "team-*", "shop", "kube-*", "pay?ents", "t*-b"]
    static let envNames = ["CHAOS_DELAY", "DB_POOL_SIZE", "LOG_LEVEL"]
    static let memories = ["64Mi", "256Mi", "1Gi", "3Gi"]

    @Test func gateNeverAllowsWhatThePolicyForbids() {
        var rng = SeededGenerator(state: 20_261_120)
        var outcomes: [String: Int] = [:]
        var rollbacks: [String: Int] = [:]
        for _ in 0..<10_000 {
            let policy = Self.randomPolicy(&rng)
            let remediation = Self.randomRemediation(&rng)
            let context = Self.randomContext(&rng, target: remediation.target)
            let decision = PolicyGate(policy: policy).decide(remediation, context: context)
            outcomes[decision.verdict, default: 0] += 1
            let forbidden = Oracle.forbidden(remediation, policy: policy, context: context)
            switch decision {
            case .allow:
                #expect(forbidden.isEmpty, "allowed \(remediation) although \(forbidden)")
                #expect(Oracle.withinCaps(remediation.action, policy: policy, current: context.current),
                        "allowed \(remediation) over the caps \(policy.caps)")
            case .capped(let capped, _):
                #expect(forbidden.isEmpty, "capped \(remediation) although \(forbidden)")
                #expect(capped.target == remediation.target && capped.action.kind == remediation.action.kind)
                #expect(Oracle.withinCaps(capped.action, policy: policy, current: context.current),
                        "capped \(remediation) to \(capped), still over \(policy.caps)")
            case .needsApproval(let proposed, _):
                #expect(remediation.action.isMutating)
                #expect(Oracle.withinCaps(proposed.action, policy: policy, current: context.current))
            case .deny:
                #expect(remediation.action.isMutating)
            }
            if forbidden.isEmpty, remediation.action.isMutating,
               Oracle.permission(remediation.action, policy: policy) == .allowed,
               Oracle.withinCaps(remediation.action, policy: policy, current: context.current) {
                #expect(decision == .allow, "\(remediation) is within the policy but got \(decision)")
            }
            // Undoing action a0 of this kind on this target: allowed exactly when the oracle
            // finds nothing against it, with a0 itself left out of the history.
            guard remediation.action.isMutating else { continue }
            var undone = context
            undone.history = ActionHistory(context.history.entries.filter { $0.actionID != "a0" })
            let rollback = PolicyGate(policy: policy).decideRollback(of: "a0", kind: remediation.action.kind, on: remediation.target,
                                                                     context: context)
            rollbacks[rollback.verdict, default: 0] += 1
            var against = Oracle.forbidden(remediation, policy: policy, context: undone).filter { !["cooldown", "denied type"].contains($0) }
            if (policy.actions.rules[remediation.action.kind]?.permission ?? policy.actions.defaultPermission) != .allowed {
                against.append("not allowed")
            }
            #expect((rollback == .allow) == against.isEmpty, "rollback of \(remediation): \(rollback) vs \(against)")
        }
        #expect(rollbacks["allowed", default: 0] > 100 && rollbacks["denied", default: 0] > 100, "\(rollbacks)")
        for verdict in ["allowed", "capped", "needs-approval", "denied"] {
            #expect(outcomes[verdict, default: 0] > 25, "the generator rarely produces \(verdict): \(outcomes)")
        }
    }

    static func pick<T>(_ items: [T], _ rng: inout SeededGenerator) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
    static func chance(_ percent: Int, _ rng: inout SeededGenerator) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }

    static func randomPolicy(_ rng: inout SeededGenerator) -> Policy {
        var policy = Policy(name: "random", mode: .apply)
        policy.namespaces = NamespaceScope(
            include: (0..<Int.random(in: 1...2, using: &rng)).map { _ in Glob(pick(patterns, &rng)) },
            exclude: (0..<Int.random(in: 0...2, using: &rng)).map { _ in Glob(pick(patterns, &rng)) })
        let permissions: [Permission] = [.allowed, .allowed, .allowed, .needsApproval, .denied]
        var rules: [ActionKind: ActionRule] = [:]
        for kind in ActionKind.allCases where kind != .notify && chance(70, &rng) {
            var rule = ActionRule(pick(permissions, &rng))
            if kind == .setEnv || kind == .unsetEnv, chance(50, &rng) {
                rule.envNames = [Glob(pick(["CHAOS_*", "*_POOL_SIZE", "LOG_?EVEL"], &rng))]
                rule.otherwise = pick(permissions, &rng)
            }
            rules[kind] = rule
        }
        policy.actions = ActionRules(rules, default: pick(permissions, &rng))
        if chance(30, &rng) { policy.globalRateLimit = RateLimit(max: Int.random(in: 1...4, using: &rng), window: pick([600, 3600], &rng)) }
        if chance(30, &rng) { policy.targetRateLimit = RateLimit(max: Int.random(in: 1...3, using: &rng), window: pick([600, 3600], &rng)) }
        if chance(30, &rng) { policy.cooldown = pick([60, 600, 1800], &rng) }
        if chance(30, &rng) { policy.maxConcurrent = Int.random(in: 1...3, using: &rng) }
        if chance(20, &rng) {
            let start = now.addingTimeInterval(Double(Int.random(in: -7200...3600, using: &rng)))
            policy.freezes = [FreezeWindow(.absolute(start: start, end: start.addingTimeInterval(3600)), reason: "random")]
        }
        if chance(60, &rng) { policy.caps.maxReplicas = Int.random(in: 1...20, using: &rng) }
        if chance(40, &rng) { policy.caps.maxScaleFactor = pick([1, 1.5, 2, 3], &rng) }
        if chance(60, &rng) {
            let text = pick(memories, &rng)
            policy.caps.maxMemoryLimit = (text, try! Quantity.bytes(text))
        }
        if chance(60, &rng) {
            policy.caps.maxPoolSize = Int.random(in: 5...60, using: &rng)
            policy.caps.poolSizeEnv = [Glob("*POOL_SIZE")]
        }
        if chance(30, &rng) { policy.caps.onExceed = .deny }
        if chance(40, &rng) { policy.gitops = pick(Policy.GitOpsMode.allCases, &rng) }
        return policy
    }

    static func randomRemediation(_ rng: inout SeededGenerator) -> Remediation {
        let target = ObjectRef(kind: "Deployment", namespace: pick(namespaces, &rng), name: pick(["api", "worker"], &rng))
        let action: Action = switch Int.random(in: 0..<7, using: &rng) {
        case 0: .rolloutRestart
        case 1: .scale(replicas: Int.random(in: 0...40, using: &rng))
        case 2: .setResources(container: nil, limits: ["memory": pick(memories, &rng)],
                              requests: chance(50, &rng) ? ["memory": pick(memories, &rng)] : [:])
        case 3: .setEnv(container: nil, variables: Array(Set((0..<Int.random(in: 1...2, using: &rng)).map { _ in pick(envNames, &rng) }))
            .sorted().map { EnvAssignment(name: $0, value: String(Int.random(in: 1...100, using: &rng))) })
        case 4: .unsetEnv(container: nil, names: [pick(envNames, &rng)])
        case 5: .deletePod(name: "api-1")
        default: .notify(message: "look")
        }
        return Remediation(target: target, action: action)
    }

    static func randomContext(_ rng: inout SeededGenerator, target: ObjectRef) -> DecisionContext {
        func labels() -> ObjectLabels {
            let mark = pick(["medic.io/ignore", "medic.io/chaos", "app"], &rng)
            let value = pick(["true", "false"], &rng)
            if chance(75, &rng) { return ObjectLabels() }
            return chance(50, &rng) ? ObjectLabels(labels: [mark: value]) : ObjectLabels(annotations: [mark: value])
        }
        var history = ActionHistory()
        for index in 0..<Int.random(in: 0...4, using: &rng) {
            let other = chance(50, &rng) ? target : ObjectRef(kind: "Deployment", namespace: "shop", name: "other\(index)")
            let started = now.addingTimeInterval(-Double(Int.random(in: 1...5000, using: &rng)))
            history.recordStart(actionID: "a\(index)", target: other, kind: .rolloutRestart, at: started)
            if chance(80, &rng) { history.recordFinish(actionID: "a\(index)", at: started.addingTimeInterval(1)) }
        }
        let current = CurrentState(replicas: chance(80, &rng) ? Int.random(in: 0...12, using: &rng) : nil,
                                   memoryLimit: chance(70, &rng) ? pick(memories, &rng) : nil,
                                   env: chance(50, &rng) ? ["DB_POOL_SIZE": String(Int.random(in: 1...60, using: &rng))] : [:])
        var target = labels()
        if chance(25, &rng) {
            target.labels[pick(["kustomize.toolkit.fluxcd.io/name", "argocd.argoproj.io/instance"], &rng)] = "apps"
        }
        let sync: SyncState? = pick([nil, .suspended, .running(ObjectRef(kind: "Kustomization", namespace: "flux-system", name: "apps")),
                                     .unknown("403")], &rng)
        return DecisionContext(now: now, target: target, namespace: labels(), current: current, history: history, sync: sync)
    }

    /// The policy read again, without the gate's code.
    enum Oracle {
        static func glob(_ pattern: Glob, _ name: String) -> Bool {
            let regex = "^" + NSRegularExpression.escapedPattern(for: pattern.pattern)
                .replacingOccurrences(of: "\\*", with: ".*").replacingOccurrences(of: "\\?", with: ".") + "$"
            return name.range(of: regex, options: .regularExpression) != nil
        }

        static func permission(_ action: Action, policy: Policy) -> Permission {
            guard let rule = policy.actions.rules[action.kind] else { return policy.actions.defaultPermission }
            var names: [String] = []
            if let variables = action.as(SetEnv.self)?.variables { names = variables.map(\.name) }
            if let unset = action.as(UnsetEnv.self)?.names { names = unset }
            if let patterns = rule.envNames {
                for name in names where !patterns.contains(where: { glob($0, name) }) { return rule.otherwise }
            }
            return rule.permission
        }

        static func forbidden(_ remediation: Remediation, policy: Policy, context: DecisionContext) -> [String] {
            guard remediation.action.isMutating else { return [] }
            var why: [String] = []
            let namespace = remediation.target.namespace
            if policy.namespaces.exclude.contains(where: { glob($0, namespace) }) { why.append("excluded") }
            if !policy.namespaces.include.contains(where: { glob($0, namespace) }) { why.append("not included") }
            for object in [context.target, context.namespace] {
                if object.labels["medic.io/ignore"] == "true" || object.annotations["medic.io/ignore"] == "true" { why.append("opt-out") }
            }
            if context.namespace.labels["medic.io/chaos"] == "true" { why.append("chaos") }
            let owned = context.target.labels.keys.contains { ["kustomize.toolkit.fluxcd.io/name", "argocd.argoproj.io/instance"].contains($0) }
            if owned, policy.gitops == .propose || (policy.gitops == .suspend && context.sync != .suspended) { why.append("gitops") }
            if permission(remediation.action, policy: policy) == .denied { why.append("denied type") }
            for freeze in policy.freezes {
                if case let .absolute(start, end) = freeze.schedule, start <= context.now, context.now < end { why.append("freeze") }
            }
            let entries = context.history.entries
            let inFlight = entries.filter { $0.finished == nil }
            if inFlight.contains(where: { $0.target == remediation.target }) { why.append("in flight") }
            // Intents older than inFlightExpiry still block their own target, not everything.
            let recent = inFlight.filter { context.now.timeIntervalSince($0.started) < policy.inFlightExpiry }
            if let max = policy.maxConcurrent, recent.count >= max { why.append("concurrency") }
            if let cooldown = policy.cooldown,
               entries.contains(where: { $0.target == remediation.target && context.now.timeIntervalSince($0.started) < cooldown }) {
                why.append("cooldown")
            }
            if let limit = policy.targetRateLimit,
               entries.filter({ $0.target == remediation.target && context.now.timeIntervalSince($0.started) <= limit.window }).count >= limit.max {
                why.append("per-target rate")
            }
            if let limit = policy.globalRateLimit,
               entries.filter({ context.now.timeIntervalSince($0.started) <= limit.window }).count >= limit.max {
                why.append("global rate")
            }
            return why
        }

        static func withinCaps(_ action: Action, policy: Policy, current: CurrentState) -> Bool {
            let caps = policy.caps
            if let replicas = action.as(Scale.self)?.replicas {
                if let max = caps.maxReplicas, replicas > max { return false }
                if let factor = caps.maxScaleFactor {
                    guard let now = current.replicas else { return replicas == 0 }
                    if now > 0, Double(replicas) > Double(now) * factor { return false }
                }
                return true
            }
            if let resources = action.as(SetResources.self) {
                let (limits, requests) = (resources.limits, resources.requests)
                guard let cap = caps.maxMemoryLimit else { return true }
                return [limits["memory"], requests["memory"]].allSatisfy { text in
                    text.map { (try? Quantity.bytes($0)).map { $0 <= cap.bytes } ?? false } ?? true
                }
            }
            if let variables = action.as(SetEnv.self)?.variables {
                guard let max = caps.maxPoolSize else { return true }
                return variables.allSatisfy { variable in
                    !caps.poolSizeEnv.contains(where: { glob($0, variable.name) }) || (Int(variable.value).map { $0 <= max } ?? false)
                }
            }
            return true
        }
    }
}
