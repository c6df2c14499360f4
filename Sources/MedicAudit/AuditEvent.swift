import MedicKube
import MedicPolicy
import MedicRemediation

/// A record before the log numbers, stamps and chains it. The factories are the only way the
/// other stages describe what happened, so every record of a type carries the same fields.
public struct AuditEvent: Sendable, Equatable {
    public var type: AuditRecord.RecordType
    public var incident: String?
    public var action: String?
    public var target: ObjectRef?
    public var payload: AuditPayload

    public init(type: AuditRecord.RecordType, incident: String? = nil, action: String? = nil, target: ObjectRef? = nil,
                payload: AuditPayload = AuditPayload()) {
        self.type = type
        self.incident = incident
        self.action = action
        self.target = target
        self.payload = payload
    }

    /// The longest response body kept in an outcome; enough for a Status message.
    public static let bodyLimit = 512

    public static func finding(incident: String, target: ObjectRef, runbook: String, severity: String, summary: String,
                               evidence: [String]) -> AuditEvent {
        AuditEvent(type: .finding, incident: incident, target: target,
                   payload: AuditPayload(runbook: runbook, severity: severity, summary: Redaction.redact(summary),
                                         evidence: evidence.map(Redaction.redact)))
    }

    /// `requestHash`: a proposal's approval hash, bound to its request when medic could render
    /// it (`Remediation.approvalHash(request:)`); the command's alone otherwise.
    public static func decision(incident: String, action: String, remediation: Remediation, decision: Decision,
                                requestHash: String? = nil) -> AuditEvent {
        var payload = AuditPayload(actionType: remediation.action.type, command: remediation.redactedCommand,
                                   verdict: decision.verdict, reasons: decision.reasons.map { Redaction.redact($0.description) })
        switch decision {
        case .capped(let capped, _): payload.command = capped.redactedCommand
        case .needsApproval(let capped, _):
            payload.command = capped.redactedCommand
            payload.requestHash = requestHash ?? capped.approvalHash
        case .allow, .deny: break
        }
        // A notify sends nothing, so its message is the whole action: kept so the incident
        // report can say what a human still has to do.
        if let notify = remediation.action.as(Notify.self) { payload.detail = Redaction.redact(notify.message) }
        return AuditEvent(type: .decision, incident: incident, action: action, target: remediation.target, payload: payload)
    }

    /// A symptom's fix held back while its cause is open (or the cause's fix may still reach
    /// it): recorded when the wait starts or its reason changes, not every pass.
    public static func waiting(incident: String, action: String, remediation: Remediation, reasons: [String]) -> AuditEvent {
        AuditEvent(type: .decision, incident: incident, action: action, target: remediation.target,
                   payload: AuditPayload(actionType: remediation.action.type, command: remediation.redactedCommand,
                                         verdict: Verdict.waiting, reasons: reasons.map(Redaction.redact)))
    }

    /// Write this, and let `append` fsync it, before sending `method path`.
    public static func intent(incident: String, action: String, remediation: Remediation, mode: Mode,
                              method: String?, path: String?) -> AuditEvent {
        AuditEvent(type: .intent, incident: incident, action: action, target: remediation.target,
                   payload: AuditPayload(actionType: remediation.action.type, command: remediation.redactedCommand,
                                         mode: mode.rawValue, method: method, path: path))
    }

    /// `status` is the HTTP status (0 when no response came back); the body is cut to `bodyLimit`
    /// and masked, as every text these records carry (`Redaction`), except `after`, a
    /// before-state's value already sealed (`SecretSeal`) that a rollback must read back whole.
    /// `after`: for an applied action, the value it left at its before-state's pointer (JSON
    /// text): a rollback restores the before-state only while that value is still there.
    public static func outcome(incident: String, action: String, target: ObjectRef, status: Int, body: String,
                               after: String? = nil) -> AuditEvent {
        let summary = Redaction.redact(body.count > bodyLimit ? String(body.prefix(bodyLimit)) + "…" : body)
        return AuditEvent(type: .outcome, incident: incident, action: action, target: target,
                          payload: AuditPayload(status: status, body: summary, detail: after))
    }

    public static func verification(incident: String, action: String, target: ObjectRef, passed: Bool, detail: String) -> AuditEvent {
        AuditEvent(type: .verification, incident: incident, action: action, target: target,
                   payload: AuditPayload(passed: passed, detail: Redaction.redact(detail)))
    }

    public static func rollback(incident: String, action: String, target: ObjectRef, detail: String) -> AuditEvent {
        AuditEvent(type: .rollback, incident: incident, action: action, target: target, payload: AuditPayload(detail: Redaction.redact(detail)))
    }

    /// `requestHash`: the proposal's, as recorded when the human approved it.
    public static func approval(incident: String, action: String, target: ObjectRef, approver: String, approved: Bool,
                                requestHash: String? = nil) -> AuditEvent {
        var payload = AuditPayload(approver: approver, approved: approved)
        payload.requestHash = requestHash
        return AuditEvent(type: .approval, incident: incident, action: action, target: target, payload: payload)
    }
}
