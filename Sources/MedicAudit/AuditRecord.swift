import Foundation
import MedicKube

/// One line of the audit log. `prev` chains it to the line before, so a line cannot be
/// changed, removed or moved without `AuditVerifier` noticing (docs/audit-log.md).
public struct AuditRecord: Sendable, Equatable, Codable {
    public enum RecordType: String, Sendable, Codable, CaseIterable {
        /// The first line of every log: names the log and anchors the chain.
        case genesis
        case finding, decision
        /// Written and fsynced before the request is sent: an intent without an outcome is an
        /// action that may or may not have happened.
        case intent
        case outcome, verification, rollback, approval
        /// Written on a clean close: a log that ends in anything else was cut short or is live.
        case seal
    }

    /// 1 for the genesis line, then one more per line.
    public var seq: Int
    public var time: Date
    public var type: RecordType
    public var incident: String?
    /// Ties the decision, intent, outcome, verification and rollback of one action together.
    public var action: String?
    public var target: ObjectRef?
    public var payload: AuditPayload
    /// SHA-256 (lowercase hex) of the previous line's bytes, without its newline.
    public var prev: String

    public init(seq: Int, time: Date, type: RecordType, incident: String? = nil, action: String? = nil,
                target: ObjectRef? = nil, payload: AuditPayload = AuditPayload(), prev: String) {
        self.seq = seq
        self.time = time
        self.type = type
        self.incident = incident
        self.action = action
        self.target = target
        self.payload = payload
        self.prev = prev
    }

    enum CodingKeys: String, CodingKey { case seq, time, type, incident, action, target, payload, prev }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seq = try container.decode(Int.self, forKey: .seq)
        let text = try container.decode(String.self, forKey: .time)
        guard let time = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "time '\(text)' is not RFC 3339")
        }
        self.time = time
        type = try container.decode(RecordType.self, forKey: .type)
        incident = try container.decodeIfPresent(String.self, forKey: .incident)
        action = try container.decodeIfPresent(String.self, forKey: .action)
        target = try container.decodeIfPresent(ObjectRef.self, forKey: .target)
        payload = try container.decode(AuditPayload.self, forKey: .payload)
        prev = try container.decode(String.self, forKey: .prev)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(RFC3339.format(time), forKey: .time)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(incident, forKey: .incident)
        try container.encodeIfPresent(action, forKey: .action)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encode(payload, forKey: .payload)
        try container.encode(prev, forKey: .prev)
    }

    /// The exact bytes of the line, without the newline: compact JSON with sorted keys.
    public func line() throws(AuditError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch {
            throw AuditError(.unwritable, "cannot encode audit record \(seq): \(error)")
        }
    }

    static func decode(_ line: Data) throws(AuditError) -> AuditRecord {
        do {
            return try JSONDecoder().decode(AuditRecord.self, from: line)
        } catch let error as DecodingError {
            throw AuditError(.malformed, Self.explain(error))
        } catch {
            throw AuditError(.malformed, "\(error)")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "field '\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "not valid JSON" : context.debugDescription
        @unknown default: "\(error)"
        }
    }
}

/// What a record says beyond who and when. One flat set of optional fields, each used by the
/// record types named beside it, so every line stays greppable and `jq`-friendly.
public struct AuditPayload: Sendable, Equatable, Codable {
    /// genesis: the log's name.
    public var log: String?
    /// finding.
    public var runbook: String?
    public var severity: String?
    public var summary: String?
    public var evidence: [String]?
    /// decision, intent: the action type (`set-env`, …) and its kubectl command.
    public var actionType: String?
    public var command: String?
    /// decision: `allowed`, `capped`, `needs-approval`, `denied`, and why.
    public var verdict: String?
    public var reasons: [String]?
    /// intent: `advise`, `dry-run` or `apply`, and the request about to be sent.
    public var mode: String?
    public var method: String?
    public var path: String?
    /// outcome: the HTTP status and a summary of the response body.
    public var status: Int?
    public var body: String?
    /// verification.
    public var passed: Bool?
    /// verification, rollback: what was seen or why it was undone; decision of a notify: its message.
    public var detail: String?
    /// approval.
    public var approver: String?
    public var approved: Bool?
    /// decision (needs-approval): the SHA-256 of the command that would be sent; approval: the
    /// one the human approved. An approval counts only for the command it was given for.
    public var requestHash: String?
    /// seal: how many records came before it.
    public var records: Int?

    public init(log: String? = nil, runbook: String? = nil, severity: String? = nil, summary: String? = nil,
                evidence: [String]? = nil, actionType: String? = nil, command: String? = nil, verdict: String? = nil,
                reasons: [String]? = nil, mode: String? = nil, method: String? = nil, path: String? = nil,
                status: Int? = nil, body: String? = nil, passed: Bool? = nil, detail: String? = nil,
                approver: String? = nil, approved: Bool? = nil, records: Int? = nil) {
        self.log = log
        self.runbook = runbook
        self.severity = severity
        self.summary = summary
        self.evidence = evidence
        self.actionType = actionType
        self.command = command
        self.verdict = verdict
        self.reasons = reasons
        self.mode = mode
        self.method = method
        self.path = path
        self.status = status
        self.body = body
        self.passed = passed
        self.detail = detail
        self.approver = approver
        self.approved = approved
        self.records = records
    }
}
