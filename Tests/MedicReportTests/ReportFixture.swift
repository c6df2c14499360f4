import Foundation
import MedicAudit
import MedicKube
import MedicProcess

/// Audit records for report tests: the committed log of a real run, and small hand-made ones.
enum ReportFixture {
    /// `scripts/demo.sh --scenario pool-leak` on KubeSim: a connection leak, fixed by a restart,
    /// with a notify for the human (see Fixtures/README.md).
    static func poolLeak() throws -> [AuditRecord] {
        try AuditLog.records(at: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pool-leak.audit.jsonl"))
    }

    static let start = RFC3339.parse("2026-11-20T03:00:00Z")!
    static let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
    static let db = ObjectRef(kind: "Deployment", namespace: "shop", name: "db")

    /// Records with consecutive numbers; the chain is not checked by the report.
    static func records(_ items: [(seconds: Double, type: AuditRecord.RecordType, incident: String?, action: String?,
                                   target: ObjectRef?, payload: AuditPayload)]) -> [AuditRecord] {
        [AuditRecord(seq: 1, time: start, type: .genesis, payload: AuditPayload(log: "test"), prev: "0")]
            + items.enumerated().map { index, item in
                AuditRecord(seq: index + 2, time: start.addingTimeInterval(item.seconds), type: item.type,
                            incident: item.incident, action: item.action, target: item.target, payload: item.payload,
                            prev: "0")
            }
    }

    /// A symptom (api's errors) found first, then its cause (db down) found, fixed and verified.
    static func symptomThenCause() -> [AuditRecord] {
        records([
            (10, .finding, "i-api", nil, api, AuditPayload(runbook: "error-rate-rise", severity: "warning",
                                                           summary: "api fails 30% of requests",
                                                           evidence: ["waiting for the cause: dependency/Deployment/shop/db"])),
            (20, .finding, "i-db", nil, db, AuditPayload(runbook: "dependency", severity: "critical", summary: "db is down",
                                                         evidence: ["DATABASE_URL=postgres://app:hunter2@db:5432/app"])),
            (30, .decision, "i-db", "a1", db, AuditPayload(actionType: "rollout-restart",
                                                           command: "kubectl -n shop set env deployment/db DB_PASSWORD=hunter2",
                                                           verdict: "needs-approval", reasons: [])),
            (90, .approval, "i-db", "a1", db, AuditPayload(approver: "alice", approved: true)),
            (100, .intent, "i-db", "a1", db, AuditPayload(actionType: "rollout-restart", mode: "apply")),
            (101, .outcome, "i-db", "a1", db, AuditPayload(status: 200, body: "applied")),
            (400, .verification, "i-db", "a1", db, AuditPayload(passed: true, detail: "db ready")),
            (401, .decision, "i-db", "a2", db, AuditPayload(actionType: "notify", verdict: "allowed", reasons: [],
                                                            detail: "db lost its volume; find out why")),
        ])
    }
}

/// A child process bounded in time: killed after `timeout`, its output and status returned.
enum BoundedProcess {
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("medic-report-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = try ChildProcess.spawn(executable, arguments, stdout: .file(output.path), stderr: .standardOutput)
        let ended = process.wait(killingAfter: .milliseconds(Int(timeout * 1000)))
        return (ended.shellStatus, try String(contentsOf: output, encoding: .utf8))
    }

    /// The first of `names` found in the usual binary directories.
    static func find(_ names: String...) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
            for name in names where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }
}
