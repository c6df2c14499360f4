import Foundation
import MedicKube
import MedicRemediation
import MedicRunbook

/// The safety gate between diagnosis and action: every remediation passes through `decide`
/// before anything is sent. Pure: no clock, no cluster, no log; the caller brings all of that
/// in the `DecisionContext`, which makes every decision reproducible from the audit log.
///
/// A refusal lists every rule that refused, not only the first, so one look tells a human
/// whether waiting (rate limit, cooldown, freeze) would help.
public struct PolicyGate: Sendable {
    public let policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    public func decide(_ remediation: Remediation, context: DecisionContext) -> Decision {
        guard remediation.action.isMutating else { return .allow }
        let target = remediation.target
        var refusals = scopeRefusals(target: target, kind: remediation.action.kind, context: context)
        var approvals: [Reason] = []

        let (permission, explanation) = policy.actions.permission(for: remediation.action)
        switch permission {
        case .allowed: break
        case .needsApproval: approvals.append(Reason(.action, explanation))
        case .denied: refusals.append(Reason(.action, explanation))
        }

        refusals += freezeRefusals(context.now)
        refusals += historyRefusals(target: target, context: context)

        let capped = policy.caps.apply(to: remediation.action, current: context.current)
        refusals += capped.refusals.map { Reason(.cap, $0) }
        let rewrites = capped.rewrites.map { Reason(.cap, $0) }
        if !refusals.isEmpty { return .deny(reasons: refusals) }
        // A new remediation renders its command again: only for an action the caps changed.
        let rewritten = capped.action == remediation.action ? remediation : Remediation(target: target, action: capped.action)
        if !approvals.isEmpty { return .needsApproval(rewritten, reasons: approvals + rewrites) }
        if !rewrites.isEmpty { return .capped(rewritten, reasons: rewrites) }
        return .allow
    }

    /// Whether medic may undo its own action `actionID` (a `kind` change on `target` that did
    /// not fix its finding) by putting back what it replaced. Judged as that action is, minus
    /// what belongs to the action itself: where medic may act, the action's permission (a
    /// rollback is never proposed: where the action needs approval, a human decides instead),
    /// freezes, and the rate limits and concurrency not counting the action being undone; no
    /// cooldown or caps (it restores the value from before, which the action replaced).
    public func decideRollback(of actionID: String, kind: ActionKind, on target: ObjectRef, context: DecisionContext) -> Decision {
        var refusals = scopeRefusals(target: target, kind: kind, context: context)
        let permission = policy.actions.rules[kind]?.permission ?? policy.actions.defaultPermission
        if permission != .allowed {
            refusals.append(Reason(.action, "rolling back \(kind.rawValue) needs actions.\(kind.rawValue) allowed (it is \(permission.rawValue)); a human decides instead"))
        }
        refusals += freezeRefusals(context.now)
        var others = context
        others.history = ActionHistory(context.history.entries.filter { $0.actionID != actionID })
        refusals += historyRefusals(target: target, context: others, counting: [.inFlight, .concurrency, .rateLimit])
        return refusals.isEmpty ? .allow : .deny(reasons: refusals)
    }

    /// Where medic may act at all: the namespace, opt-outs, GitOps ownership, chaos namespaces.
    private func scopeRefusals(target: ObjectRef, kind: ActionKind, context: DecisionContext) -> [Reason] {
        var refusals: [Reason] = []
        if let refusal = policy.namespaces.refusal(for: target.namespace) {
            refusals.append(Reason(.namespace, refusal))
        }
        if let carrier = policy.optOut.carrier(in: context.target) {
            refusals.append(Reason(.optOut, "\(target) opts out with the \(carrier) \(policy.optOut)"))
        }
        if let carrier = policy.optOut.carrier(in: context.namespace) {
            refusals.append(Reason(.optOut, "namespace \(target.namespace) opts out with the \(carrier) \(policy.optOut)"))
        }
        refusals += gitopsRefusals(target: target, kind: kind, context: context)
        if policy.chaos.carrier(in: context.namespace) == "label" {
            refusals.append(Reason(.chaos, "namespace \(target.namespace) is labelled \(policy.chaos): its faults are intended chaos experiments"))
        }
        return refusals
    }

    private func freezeRefusals(_ now: Date) -> [Reason] {
        policy.freezes.filter { $0.contains(now) }.map { Reason(.freeze, "change freeze \($0.span): \($0.reason)") }
    }

    /// An owned object is changed live only under `gitops: live`, or under `gitops: suspend`
    /// once its owner's sync reads suspended; `suspend-sync` itself only under `suspend`, and
    /// not on an object an Argo CD application syncs (its parent would switch the sync back on).
    private func gitopsRefusals(target: ObjectRef, kind: ActionKind, context: DecisionContext) -> [Reason] {
        let owner = GitOpsOwner.of(labels: context.target.labels, annotations: context.target.annotations)
        if kind == .suspendSync {
            guard policy.gitops == .suspend else {
                return [Reason(.gitops, "suspend-sync is only sent under policy gitops: suspend, not gitops: \(policy.gitops.rawValue)")]
            }
            guard let owner, owner.syncer == .argoCDApplication else { return [] }
            return [Reason(.gitops, "\(target) is itself synced by \(owner), which would switch its automated sync back on: suspend the parent application by hand, or fix it in Git")]
        }
        guard let owner else { return [] }
        switch (policy.gitops, context.sync) {
        case (.live, _), (.suspend, .suspended?):
            return []
        case (.propose, _):
            return [Reason(.gitops, "\(target) is managed by \(owner): its sync would revert a live change, so make it in the Git repository it syncs from (policy gitops: propose)")]
        case (.suspend, .running(let syncer)?):
            return [Reason(.gitops, "\(target) is managed by \(owner), whose sync would revert a live change: medic suspends \(syncer) first (suspend-sync), then changes it (policy gitops: suspend)")]
        case (.suspend, .unknown(let why)?):
            return [Reason(.gitops, "\(target) is managed by \(owner) and whether its sync is suspended is unknown (\(why)), so nothing is changed live (policy gitops: suspend)")]
        case (.suspend, nil):
            return [Reason(.gitops, "\(target) is managed by \(owner) and its sync was not read, so nothing is changed live (policy gitops: suspend)")]
        }
    }

    private func historyRefusals(target: ObjectRef, context: DecisionContext,
                                 counting rules: Set<Reason.Rule> = [.inFlight, .concurrency, .cooldown, .rateLimit]) -> [Reason] {
        historyReasons(target: target, context: context).filter { rules.contains($0.rule) }
    }

    private func historyReasons(target: ObjectRef, context: DecisionContext) -> [Reason] {
        let history = context.history, now = context.now
        var refusals: [Reason] = []
        if let pending = history.inFlight.first(where: { $0.target == target }) {
            refusals.append(Reason(.inFlight, "\(pending.kind.rawValue) \(pending.actionID) on \(target), started \(RFC3339.format(pending.started)), has no recorded outcome: check the object before acting on it again, then record what you found with medic audit resolve \(pending.actionID) --cluster --outcome applied|not-applied --reason …"))
        }
        // A stale intent still blocks its own target (it may have been applied), but after
        // inFlightExpiry it no longer counts against maxConcurrent: two crashes must not stop
        // medic from acting anywhere.
        let counted = history.inFlight.filter { now.timeIntervalSince($0.started) < policy.inFlightExpiry }
        if let maxConcurrent = policy.maxConcurrent, counted.count >= maxConcurrent {
            let stale = history.inFlight.count - counted.count
            refusals.append(Reason(.concurrency, "\(counted.count) actions are in flight, the most maxConcurrent allows is \(maxConcurrent)"
                + (stale > 0 ? " (\(stale) older than inFlightExpiry \(GoDuration.compact(policy.inFlightExpiry)) not counted)" : "")))
        }
        if let cooldown = policy.cooldown, let last = history.lastStart(on: target), now < last.addingTimeInterval(cooldown) {
            refusals.append(Reason(.cooldown, "the last action on \(target) started \(RFC3339.format(last)); cooldown \(GoDuration.compact(cooldown)) lasts until \(RFC3339.format(last.addingTimeInterval(cooldown)))"))
        }
        if let limit = policy.targetRateLimit {
            let count = history.startedCount(since: now.addingTimeInterval(-limit.window), on: target)
            if count >= limit.max {
                refusals.append(Reason(.rateLimit, "\(count) actions on \(target) in the last \(GoDuration.compact(limit.window)); rateLimits.perTarget allows \(limit.max)"))
            }
        }
        if let limit = policy.globalRateLimit {
            let count = history.startedCount(since: now.addingTimeInterval(-limit.window))
            if count >= limit.max {
                refusals.append(Reason(.rateLimit, "\(count) actions in the last \(GoDuration.compact(limit.window)); rateLimits.global allows \(limit.max)"))
            }
        }
        return refusals
    }
}
