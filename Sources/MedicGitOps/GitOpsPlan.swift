import Foundation
import MedicDiagnosis
import MedicKube
import MedicRemediation

/// The whole objects a GitOps patch is derived from. Two sources: the snapshot file advise
/// read, and the live cluster.
public protocol LiveObjects: Sendable {
    /// The object as `kubectl get -o json` prints it.
    func object(_ ref: ObjectRef) async throws(GitOpsError) -> JSON
    /// The namespace's ReplicaSets, for a rollback's earlier template.
    func replicaSets(in namespace: String) async throws(GitOpsError) -> [JSON]
}

/// Every finding of a report, carried to Git where it can be: a `DeclarativeFix` per change,
/// and for the rest a line saying why not. Never silent about a finding.
public struct GitOpsPlan: Sendable {
    public var fixes: [DeclarativeFix] = []
    public var skipped: [Skipped] = []

    public struct Skipped: Sendable, Equatable {
        public var findingID: String
        public var target: ObjectRef
        public var reason: String
    }

    /// Findings in report order (a rollback before the changes that must survive it). Fixes
    /// on one object build on each other: each is derived from the object the previous left.
    public static func make(_ report: DiagnosisReport, objects: some LiveObjects, now: Date) async -> GitOpsPlan {
        var plan = GitOpsPlan()
        var current: [ObjectRef: JSON] = [:]
        var replicaSets: [String: [JSON]] = [:]
        for finding in report.findings {
            func skip(_ reason: String) { plan.skipped.append(Skipped(findingID: finding.id, target: finding.target, reason: reason)) }
            if !finding.causedBy.isEmpty {
                skip("a symptom of \(finding.causedBy.joined(separator: ", ")): fixing that clears it")
                continue
            }
            let changes = finding.actions.map(\.remediation).filter(\.action.isMutating)
            if changes.isEmpty { skip("no change to propose: it needs a person (notify)") }
            for remediation in changes {
                guard remediation.action.changesManifests else {
                    skip("\(remediation.action.type) changes no declared field; run it live once the manifests are fixed: \(remediation.redactedCommand ?? "")")
                    continue
                }
                do throws(GitOpsError) {
                    let ref = remediation.liveObject
                    let live: JSON
                    if let known = current[ref] { live = known } else { live = try await objects.object(ref) }
                    var sets: [JSON] = []
                    if remediation.action.kind == .rolloutUndo {
                        if let known = replicaSets[ref.namespace] { sets = known } else {
                            sets = try await objects.replicaSets(in: ref.namespace)
                            replicaSets[ref.namespace] = sets
                        }
                    }
                    guard let (fix, after) = try DeclarativeFix.derive(remediation, of: finding, live: live, replicaSets: sets, now: now) else {
                        skip("\(remediation.action.type) on \(ref): already in place")
                        continue
                    }
                    current[ref] = after
                    plan.fixes.append(fix)
                } catch {
                    skip(error.description)
                }
            }
        }
        return plan
    }
}
