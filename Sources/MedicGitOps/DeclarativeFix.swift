import Foundation
import MedicDiagnosis
import MedicKube
import MedicRemediation

/// One finding's fix as a change to declared fields: the strategic merge patch of `spec` that
/// a live action would make. It is what a GitOps-owned object needs instead of a live patch
/// (Argo CD's self-heal or Flux's next sync would revert that): the same change, made in the
/// repository the controller syncs from.
public struct DeclarativeFix: Sendable, Equatable {
    public var findingID: String
    public var runbook: String
    public var summary: String
    /// The object the patch changes (`Deployment/production/api`).
    public var object: ObjectRef
    public var apiVersion: String
    /// The action it stands for, e.g. `set-env`.
    public var action: String
    /// The live command it replaces, redacted, for the note in the patch file.
    public var command: String?
    /// A strategic merge patch holding only `spec`: defaulted fields are equal before and
    /// after, so only what the action changes is in it.
    public var spec: JSON

    /// The patch as kustomize reads one under `patches:` (and as `kubectl patch --type
    /// strategic --patch-file` does): the object's identity and the changed part of `spec`.
    public var document: JSON {
        .object([
            "apiVersion": .string(apiVersion),
            "kind": .string(object.kind),
            "metadata": .object(["name": .string(object.name), "namespace": .string(object.namespace)]),
            "spec": spec,
        ])
    }

    /// The fix `remediation` makes to `live`, and the object after it; nil when it changes no
    /// field of `spec` (already in place). `replicaSets` are the namespace's, for a rollback.
    static func derive(_ remediation: Remediation, of finding: Finding, live: JSON, replicaSets: [JSON],
                       now: Date) throws(GitOpsError) -> (fix: DeclarativeFix, after: JSON)? {
        let options = RequestOptions(now: now, timeZone: TimeZone(identifier: "UTC")!)
        let request: APIRequest
        do {
            guard let rendered = try remediation.apiRequest(live: live, replicaSets: replicaSets, options: options) else { return nil }
            request = rendered
        } catch {
            throw GitOpsError("\(remediation.action.type) on \(remediation.target): \(error.description)")
        }
        guard let type = PatchType(contentType: request.contentType), let body = request.body,
              let patch = try? JSON(parsing: body)
        else { throw GitOpsError("\(remediation.action.type) on \(remediation.target) is not a patch of the object") }
        let after: JSON
        do {
            after = try Patcher.apply(patch, type: type, to: live)
        } catch {
            throw GitOpsError("\(remediation.action.type) does not apply to \(remediation.target): \(error.message)")
        }
        let kind = live["kind"] ?? .string(remediation.target.kind)
        let delta = TwoWayMergePatch.create(from: .object(["kind": kind, "spec": live["spec"] ?? .null]),
                                            to: .object(["kind": kind, "spec": after["spec"] ?? .null]))
        guard let spec = delta["spec"], spec != .object([:]) else { return nil }
        let fix = DeclarativeFix(
            findingID: finding.id, runbook: finding.runbook, summary: finding.summary, object: remediation.liveObject,
            apiVersion: live["apiVersion"]?.string ?? "apps/v1", action: remediation.action.type,
            command: remediation.redactedCommand, spec: spec)
        return (fix, after)
    }
}

/// Why a fix could not be carried to Git, for the line that says so.
public struct GitOpsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
