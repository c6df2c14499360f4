import Foundation
import MedicAudit
import MedicKube
import MedicPolicy
import MedicRemediation

/// Sends one decided action, wrapped the way the act stage promises: re-read the target,
/// intent on disk before anything leaves, a server-side dry run before the real request, the
/// real request only if the object is still the version that was read, and the outcome on
/// disk after. Dry-run mode stops after the dry run. It never retries: a refused or failed
/// request is recorded and left to the next pass, which decides again from the new state.
struct Executor: Sendable {
    var reader: KubeReader
    var writer: KubeWriter
    var audit: AuditLog
    var clock: @Sendable () -> Date
    /// Asked before every audit append (the writer asks it before every request).
    var fence: (any WriteFence)? = nil
    /// Where records also go as Remediation objects; nil: the audit log only.
    var remediations: RemediationStore? = nil

    /// Sends `remediation` (already allowed, capped or approved) in `mode` (`dry-run` or `apply`).
    /// `unrecorded` says when the request went out but its outcome could not be written: the
    /// log then shows it in flight, which blocks the target until a human looks, as it should.
    /// `approved`: for an approved proposal, the hash the human approved; the request medic
    /// would send now must still have it (`approvalRequest`), or nothing is sent.
    func execute(_ remediation: Remediation, actionID: String, incident: String,
                 mode: Mode, approved: String? = nil) async -> (result: ExecutionResult, unrecorded: String?) {
        let target = remediation.target
        let object: Data, live: JSON, replicaSets: [JSON], resource: KubeResource
        switch await read(remediation) {
        case .failure(let problem): return (.notSent(problem.message), nil)
        case .success(let read): (object, live, replicaSets, resource) = read
        }
        if let approved, remediation.approvalHash(request: Self.approvalText(remediation, live: live, replicaSets: replicaSets)) != approved {
            return (.notSent("what medic would send to \(target) now is not the request that was approved (the object changed since); "
                             + "it is proposed again"), nil)
        }
        guard let resourceVersion = live[path: ["metadata", "resourceVersion"]]?.string, !resourceVersion.isEmpty else {
            return (.notSent("the API server's copy of \(target) has no resourceVersion, so a change could not be guarded against a newer one; nothing was sent"), nil)
        }
        let now = clock()
        func render(dryRun: Bool) throws(RemediationError) -> APIRequest? {
            let options = RequestOptions(dryRun: dryRun, now: now, timeZone: TimeZone(identifier: "UTC")!)
            return try remediation.apiRequest(live: live, replicaSets: replicaSets, options: options)
        }
        let rendered: APIRequest
        let renderedDryRun: APIRequest
        do {
            guard let real = try render(dryRun: false), let dry = try render(dryRun: true) else { return (.alreadyInPlace, nil) }
            rendered = real
            renderedDryRun = dry
        } catch {
            return (.notSent(error.description), nil)
        }
        let before = mode == .apply ? BeforeState(object: object, action: remediation.action) : nil
        // A change that can be put back is sent only with a record of what it replaces: without
        // one, a failed verification could not roll it back, and the human would not be told.
        if mode == .apply, before == nil, remediation.action.descriptor.reversal.restores {
            return (.notSent("the value \(remediation.action.type) changes could not be read from the API server's copy of \(target), "
                             + "so it could not be rolled back; nothing was sent"), nil)
        }

        var intent = AuditEvent.intent(incident: incident, action: actionID, remediation: remediation, mode: mode,
                                       method: rendered.method, path: rendered.pathAndQuery)
        intent.payload.detail = before?.recordText
        do {
            try await audit.append(intent, at: clock(), fence: fence, remediations: remediations)
        } catch .unmirrored(let error) {
            // Another replica taking over would not know of this action: it is not sent.
            let result = ExecutionResult.notSent("the intent's Remediation object could not be written, so nothing was sent: \(error.description)")
            return (result, await recordOutcome(result, error: nil, actionID: actionID, incident: incident, target: target))
        } catch {
            return (.notSent("the intent could not be written, so nothing was sent: \(error.description)"), nil)
        }

        // A delete names the object it deletes, which may not be the target (`delete-pod` proposed
        // on the workload that owns the pod): its preconditions are that object's.
        var deleted = (uid: live[path: ["metadata", "uid"]]?.string, resourceVersion: resourceVersion)
        let victim = remediation.action.descriptor.liveObject(of: target)
        if rendered.method == "DELETE", victim != target {
            do {
                guard let victimResource = KubeResource.known(kind: victim.kind) else { throw ReadProblem(message: "medic does not read \(victim.kind)") }
                let object = try JSON(parsing: try await reader.getJSON(victimResource, name: victim.name, namespace: victim.namespace))
                deleted = (object[path: ["metadata", "uid"]]?.string, object[path: ["metadata", "resourceVersion"]]?.string ?? "")
            } catch {
                // The intent is on record: so is why nothing followed it.
                let result = ExecutionResult.notSent("cannot read \(victim) before deleting it, so nothing was sent: \(error)")
                return (result, await recordOutcome(result, error: nil, actionID: actionID, incident: incident, target: target))
            }
        }
        func guarded(_ request: APIRequest) -> KubeRawRequest? {
            request.method == "DELETE"
                ? Self.raw(request, target: target, resource: resource, resourceVersion: deleted.resourceVersion, uid: deleted.uid)
                : Self.raw(request, target: target, resource: resource, resourceVersion: resourceVersion, uid: nil)
        }
        guard let dryRun = guarded(renderedDryRun), let real = guarded(rendered) else {
            let result = ExecutionResult.notSent("the request could not carry the resourceVersion precondition, so nothing was sent")
            return (result, await recordOutcome(result, error: nil, actionID: actionID, incident: incident, target: target))
        }
        do {
            _ = try await writer.send(dryRun)
        } catch {
            let result = Self.result(of: error, stage: mode == .apply ? .dryRunBeforeApply : .dryRunOnly, now: clock())
            return (result, await recordOutcome(result, error: error, actionID: actionID, incident: incident, target: target))
        }
        guard mode == .apply else {
            return (.dryRunAccepted, await recordOutcome(.dryRunAccepted, error: nil, actionID: actionID, incident: incident, target: target))
        }
        let response: Data
        do {
            response = try await writer.send(real)
        } catch {
            let result = Self.result(of: error, stage: .apply, now: clock())
            return (result, await recordOutcome(result, error: error, actionID: actionID, incident: incident, target: target))
        }
        let after = before.flatMap {
            BeforeState.sealedValue(at: $0.pointer, in: response, keeping: BeforeState.keptVariables(of: remediation.action))
        }
        return (.applied, await recordOutcome(.applied, error: nil, actionID: actionID, incident: incident, target: target, after: after))
    }

    struct ReadProblem: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The target as the API server has it now, with its ReplicaSets for a rollback (built from
    /// them, as kubectl builds it).
    private func read(_ remediation: Remediation) async -> Result<(Data, JSON, [JSON], KubeResource), ReadProblem> {
        let target = remediation.target
        guard let resource = KubeResource.known(kind: target.kind) else {
            return .failure(ReadProblem(message: "\(target.kind) is not a kind medic can act on"))
        }
        let object: Data
        do {
            object = try await reader.getJSON(resource, name: target.name, namespace: target.namespace)
        } catch {
            return .failure(ReadProblem(message: "cannot re-read \(target) before acting: \(error.description)"))
        }
        var replicaSets: [JSON] = []
        if remediation.action.kind == .rolloutUndo {
            do {
                replicaSets = try await reader.listJSON(ReplicaSet.resource, namespace: target.namespace)
            } catch {
                return .failure(ReadProblem(message: "cannot read the ReplicaSets of \(target) for a rollback: \(error.description)"))
            }
        }
        do {
            return .success((object, try JSON(parsing: object), replicaSets, resource))
        } catch {
            return .failure(ReadProblem(message: "the API server's copy of \(target) is not JSON (\(error)), so nothing was sent"))
        }
    }

    /// The approval hash of `remediation` bound to the request it becomes against the live
    /// object now; the message why it cannot be read.
    func approvalRequest(_ remediation: Remediation) async -> Result<String, ReadProblem> {
        switch await read(remediation) {
        case .failure(let problem): .failure(problem)
        case .success(let (_, live, replicaSets, _)):
            .success(remediation.approvalHash(request: Self.approvalText(remediation, live: live, replicaSets: replicaSets)))
        }
    }

    /// The request as a human approves it: method, path and body, rendered at a fixed instant
    /// (a restart's timestamp is not part of the decision); "" when nothing would be sent,
    /// nil when it cannot be rendered (the send then fails on its own).
    static func approvalText(_ remediation: Remediation, live: JSON, replicaSets: [JSON]) -> String? {
        let options = RequestOptions(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC")!)
        do {
            guard let request = try remediation.apiRequest(live: live, replicaSets: replicaSets, options: options) else { return "" }
            return "\(request.method) \(request.pathAndQuery)\n" + String(decoding: request.body ?? Data(), as: UTF8.self)
        } catch {
            return nil
        }
    }

    /// Puts back what the action replaced. The `rollback` record is written (and fsynced)
    /// before the request, as an intent is; the outcome after it carries the response.
    func rollback(_ action: ActionLedger.ActionState, reason: String) async -> RollbackResult {
        guard let text = action.before, var before = BeforeState(recordText: text) else {
            return .irreversible("\(action.actionType ?? "the action") on \(action.target) cannot be undone automatically")
        }
        var written = before.test ?? action.after
        // Secret env values were recorded masked: they come back from the live object.
        if SecretSeal.isSealed(before.value) || written.map(SecretSeal.isSealed) == true {
            guard let resource = KubeResource.known(kind: action.target.kind) else {
                return .irreversible("\(action.actionType ?? "the action") on \(action.target) is not undone automatically: "
                                     + "its record masks secret env values, and medic does not read \(action.target.kind) objects to put them back")
            }
            let live: Data
            do {
                live = try await reader.getJSON(resource, name: action.target.name, namespace: action.target.namespace)
            } catch {
                return .failed("cannot read \(action.target) to put back the secret env values its record masks: \(error.description)")
            }
            guard let value = SecretSeal.unseal(before.value, pointer: before.pointer, live: live),
                  case let unsealed = written.flatMap({ SecretSeal.unseal($0, pointer: before.pointer, live: live) }),
                  (written == nil) == (unsealed == nil)
            else {
                return .irreversible("\(action.actionType ?? "the action") on \(action.target) is not undone automatically: "
                                     + "its record masks secret env values, and the live object no longer holds them to put back")
            }
            before.value = value
            written = unsealed
        }
        // Only over medic's own change: without a record of what it wrote, a rollback could
        // revert a deploy made since, so it is left to a human.
        guard let request = before.rollbackRequest(for: action.target, over: written) else {
            return .irreversible("\(action.actionType ?? "the action") on \(action.target) is not undone automatically: "
                                 + "no record of what it wrote at \(before.pointer), so a later change there could be overwritten")
        }
        let detail = "\(reason); restoring \(before.pointer) as it was before action \(action.id): PATCH \(request.path)"
        do {
            try await audit.append(.rollback(incident: action.incident ?? "", action: action.id, target: action.target, detail: detail),
                                   at: clock(), fence: fence, remediations: remediations)
        } catch .unmirrored {
            // In the log; its object catches up with the next record of the action.
        } catch {
            return .failed("the rollback record could not be written, so nothing was sent: \(error.description)")
        }
        // The server's dry run first, as for any action: a refusal there leaves the object as it is.
        var dryRun = request
        dryRun.query.append(("dryRun", "All"))
        var failure = "refused by the server-side dry run, so nothing was sent"
        let result: RollbackResult
        let outcome: AuditEvent
        do {
            _ = try await writer.send(dryRun)
            failure = "failed"
            // The answer is the whole object, env values and all: the record says only that it held.
            _ = try await writer.send(request)
            outcome = .outcome(incident: action.incident ?? "", action: action.id, target: action.target,
                               status: 200, body: "restored")
            result = .restored(detail)
        } catch {
            outcome = .outcome(incident: action.incident ?? "", action: action.id, target: action.target,
                               status: error.httpStatus ?? 0, body: error.description)
            result = .failed("rollback of \(action.id) on \(action.target) \(failure): \(error.description)")
        }
        do {
            try await audit.append(outcome, at: clock(), fence: fence, remediations: remediations)
        } catch .unmirrored {
            // In the log; its object catches up with the next record of the action.
        } catch {
            return .failed("\(result); its outcome could not be written to the audit log: \(error.description)")
        }
        return result
    }

    private func recordOutcome(_ result: ExecutionResult, error: KubeAPIError?, actionID: String, incident: String,
                               target: ObjectRef, after: String? = nil) async -> String? {
        let status: Int
        let body: String
        switch result {
        case .applied, .dryRunAccepted:
            status = 200
            body = result == .applied ? "applied" : "accepted by the server-side dry run; nothing changed"
        case .unknown(let message):
            status = 0
            body = message
        default:
            status = error?.httpStatus ?? 0
            body = result.summary
        }
        do {
            try await audit.append(.outcome(incident: incident, action: actionID, target: target, status: status, body: body,
                                            after: after), at: clock(), fence: fence, remediations: remediations)
            return nil
        } catch .unmirrored {
            // In the log, so the action is not in flight; its object catches up with the next record.
            return nil
        } catch {
            return "the outcome of \(actionID) (\(result.summary)) could not be written to the audit log: \(error.description)"
        }
    }

    private enum Stage { case dryRunOnly, dryRunBeforeApply, apply }

    private static func result(of error: KubeAPIError, stage: Stage, now: Date) -> ExecutionResult {
        let prefix = stage == .dryRunBeforeApply ? "the server-side dry run refused it, so the change was not sent: " : ""
        switch error.code {
        case .conflict:
            return .conflict(prefix + "\(error.description); the object changed since it was read, the next pass decides again")
        case .tooManyRequests:
            let seconds = error.retryAfterSeconds ?? 1
            return .deferred(until: now.addingTimeInterval(TimeInterval(seconds)),
                             prefix + "\(error.description); retrying in a later pass after \(seconds)s")
        case .unreachable where stage == .apply:
            return .unknown(OutcomeText.noResponse + ": \(error.description); it may have been applied, so it is verified like an applied action")
        default:
            return .failed(status: error.httpStatus ?? 0, prefix + error.description)
        }
    }

    /// `rendered` as it goes on the wire. A patch carries the resourceVersion that was read, so
    /// a change made since makes it fail with 409 instead of overwriting it; nil when it cannot
    /// carry one. (A pod deletion is not a read-modify-write and goes as rendered.)
    /// The request to send, with its precondition; nil for a method or body that cannot carry
    /// one, which is then not sent.
    private static func raw(_ rendered: APIRequest, target: ObjectRef, resource: KubeResource,
                            resourceVersion: String, uid: String?) -> KubeRawRequest? {
        let guarded: Data?
        switch (rendered.method, rendered.body) {
        case ("PATCH", let body?):
            guarded = precondition(body, contentType: rendered.contentType, resourceVersion: resourceVersion)
        case ("DELETE", let body?):
            guarded = deletePrecondition(body, resourceVersion: resourceVersion, uid: uid)
        default:
            guarded = nil
        }
        guard let body = guarded else { return nil }
        return KubeRawRequest(method: rendered.method, path: rendered.path,
                              query: rendered.query.keys.sorted().map { ($0, rendered.query[$0]!) },
                              contentType: rendered.contentType.isEmpty ? nil : rendered.contentType, body: body,
                              resource: resource, namespace: target.namespace, name: target.name)
    }

    /// Adds DeleteOptions' `preconditions` (uid and resourceVersion) in front of the body's
    /// other options, where Go's field order puts them: the pod deleted is the one that was
    /// read, not a newer one of the same name, nor one that changed since.
    static func deletePrecondition(_ body: Data, resourceVersion: String, uid: String?) -> Data? {
        let text = String(decoding: body, as: UTF8.self)
        guard let uid, !uid.isEmpty, text.hasPrefix("{"), (try? JSONSerialization.jsonObject(with: body)) is [String: Any],
              let quotedUID = try? JSONEncoder().encode(uid), let quotedVersion = try? JSONEncoder().encode(resourceVersion)
        else { return nil }
        let rest = text.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)
        let splice = #"{"preconditions":{"uid":\#(String(decoding: quotedUID, as: UTF8.self)),"resourceVersion":\#(String(decoding: quotedVersion, as: UTF8.self))}"#
        return Data((splice + (rest == "}" ? "" : ",") + text.dropFirst()).utf8)
    }

    /// Adds the optimistic-concurrency precondition: `metadata.resourceVersion` in a merge or
    /// strategic patch (spliced in, so the rest stays byte for byte what was audited; merged
    /// into a `metadata` the patch already has), a `test` operation in front of a JSON Patch.
    /// nil when it cannot be added: then the request is not sent.
    static func precondition(_ body: Data, contentType: String, resourceVersion: String) -> Data? {
        let text = String(decoding: body, as: UTF8.self)
        guard let quoted = try? JSONEncoder().encode(resourceVersion) else { return nil }
        let version = String(decoding: quoted, as: UTF8.self)
        if contentType == KubeWriter.PatchType.json.rawValue {
            guard text.hasPrefix("[") else { return nil }
            let test = #"{"op":"test","path":"/metadata/resourceVersion","value":\#(version)}"#
            return Data(("[" + test + (text == "[]" ? "" : ",") + text.dropFirst()).utf8)
        }
        guard text.hasPrefix("{"), var object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        guard var metadata = object["metadata"] as? [String: Any] else {
            guard object["metadata"] == nil else { return nil }
            let splice = #"{"metadata":{"resourceVersion":\#(version)}"# + (object.isEmpty ? "" : ",")
            return Data((splice + text.dropFirst()).utf8)
        }
        metadata["resourceVersion"] = resourceVersion
        object["metadata"] = metadata
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
