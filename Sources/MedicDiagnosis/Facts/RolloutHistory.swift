import Foundation
import MedicKube

/// A Deployment's current revision against the revisions before it: what is wrong with the
/// current one, the newest earlier revision that is proven to have run healthy, and what the
/// pod template changed between the two. This is the evidence for "undo the bad rollout",
/// the standard response to a bad deploy whatever its failure looks like.
///
/// A revision ran healthy when its ReplicaSet still has ready pods (a stuck rolling update
/// keeps them), when one of its pods is running and ready, or, for the revision current just
/// before this rollout, when the Deployment stayed Available until this rollout began (a
/// `Recreate` rollout scales the old ReplicaSet to zero first, so no old pod is left). A
/// revision that merely exists proves nothing.
public struct RolloutHistory: Sendable, Equatable {
    public struct Proof: Sendable, Equatable {
        public var revision: Int
        public var replicaSet: String
        public var text: String
    }

    public var revision: Int?
    /// When the current revision's ReplicaSet was created: when this rollout began.
    public var since: Date?
    /// What is wrong with the current revision: its pods' issues and the rollout's.
    public var failing: [WorkloadIssue]
    public var lastGood: Proof?
    /// The pod template fields that changed from `lastGood` to the current revision.
    public var changes: [String]

    public static func of(_ workload: Workload, pods: [Pod], replicaSets: [ReplicaSet], events: [Event],
                          currentRevision: Int?) -> RolloutHistory? {
        guard workload.kind == "Deployment",
              let revision = currentRevision ?? replicaSets.compactMap(\.revision).max() else { return nil }
        // The current ReplicaSet may be missing from a partial snapshot: then the current pods
        // are those no earlier revision owns.
        let current = replicaSets.first { $0.revision == revision }
        let earlier = replicaSets.filter { ($0.revision ?? 0) < revision }.sorted { ($0.revision ?? 0) > ($1.revision ?? 0) }
        let earlierNames = Set(earlier.map(\.metadata.name))
        let currentPods = pods.filter { pod in
            guard let owner = pod.metadata.controllerOwner?.name else { return false }
            return current.map { owner == $0.metadata.name } ?? !earlierNames.contains(owner)
        }
        let failing = WorkloadIssue.issues(of: workload, pods: currentPods, replicaSets: current.map { [$0] } ?? [],
                                           events: events)
            .filter { $0.kind != .short }
        let since = current?.metadata.creationTimestamp
        // A revision that fails nothing needs no proof of an earlier one, nor a diff: most
        // workloads of a large cluster stop here.
        guard !failing.isEmpty else {
            return RolloutHistory(revision: revision, since: since, failing: [], lastGood: nil, changes: [])
        }
        var lastGood: Proof?
        for (index, replicaSet) in earlier.enumerated() {
            if let proof = proof(replicaSet, pods: pods, workload: workload, rolloutStart: since,
                                 justBefore: index == 0) {
                lastGood = proof
                break
            }
        }
        let changes = lastGood.flatMap { good in
            earlier.first { $0.revision == good.revision }?.spec.template.map { (good.revision, $0) }
        }.map { TemplateDiff.changes(from: $0.1, to: workload.template, of: workload.ref, revision: $0.0) } ?? []
        return RolloutHistory(revision: revision, since: since, failing: failing, lastGood: lastGood,
                              changes: changes)
    }

    static func proof(_ replicaSet: ReplicaSet, pods: [Pod], workload: Workload, rolloutStart: Date?,
                              justBefore: Bool) -> Proof? {
        guard let revision = replicaSet.revision else { return nil }
        let name = replicaSet.metadata.name
        if let ready = replicaSet.status.readyReplicas, ready > 0 {
            return Proof(revision: revision, replicaSet: name,
                         text: "ReplicaSet \(name) of revision \(revision) still has \(ready) ready pod\(ready == 1 ? "" : "s")")
        }
        if let pod = pods.first(where: { $0.metadata.controllerOwner?.name == name && $0.isReady }) {
            return Proof(revision: revision, replicaSet: name,
                         text: "pod \(pod.metadata.name) of revision \(revision) is running and ready")
        }
        // Available turns False when the last old pod goes; if that happened once this rollout
        // had begun, the Deployment was available on the revision before it.
        if justBefore, let start = rolloutStart,
           let available = workload.conditions.first(where: { $0.type == "Available" }), available.status == "False",
           let end = available.lastTransitionTime, end >= start.addingTimeInterval(-1),
           let created = workload.metadata.creationTimestamp, end.timeIntervalSince(created) > 60 {
            return Proof(revision: revision, replicaSet: name,
                         text: "the Deployment was Available on revision \(revision) until \(RFC3339.format(end)), "
                             + "when the rollout that began at \(RFC3339.format(start)) took its pods")
        }
        return nil
    }
}
