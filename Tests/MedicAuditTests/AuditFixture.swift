import Foundation
import MedicKube
import MedicPolicy
import MedicRemediation
@testable import MedicAudit

/// A scratch directory per test and a small incident written to a log in it.
struct AuditFixture {
    static let start = RFC3339.parse("2026-11-20T03:00:00Z")!
    static let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
    static let worker = ObjectRef(kind: "Deployment", namespace: "shop", name: "worker")

    let directory: URL
    var log: URL { directory.appendingPathComponent("audit.jsonl") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// genesis, finding, decision, intent, outcome, verification, intent (worker, in flight), seal: 8 lines.
    @discardableResult
    func writeIncident(seal: Bool = true, echo: (@Sendable (Data) -> Void)? = nil) async throws -> AuditLog {
        let log = try AuditLog(url: self.log, name: "shop-incidents", now: Self.start, echo: echo)
        let restart = Remediation(target: Self.api, action: .rolloutRestart)
        try await log.append(.finding(incident: "i1", target: Self.api, runbook: "pool-exhaustion", severity: "high",
                                      summary: "api's connection pool is full at flat traffic",
                                      evidence: ["pool 20/20 in use for 10m"]), at: Self.start.addingTimeInterval(1))
        try await log.append(.decision(incident: "i1", action: "a1", remediation: restart, decision: .allow),
                             at: Self.start.addingTimeInterval(2))
        try await log.append(.intent(incident: "i1", action: "a1", remediation: restart, mode: .apply, method: "PATCH",
                                     path: "/apis/apps/v1/namespaces/shop/deployments/api"), at: Self.start.addingTimeInterval(3))
        try await log.append(.outcome(incident: "i1", action: "a1", target: Self.api, status: 200, body: "patched"),
                             at: Self.start.addingTimeInterval(4))
        try await log.append(.verification(incident: "i1", action: "a1", target: Self.api, passed: true,
                                           detail: "pool below 50% for 5m"), at: Self.start.addingTimeInterval(300))
        try await log.append(.intent(incident: "i2", action: "a2", remediation: Remediation(target: Self.worker, action: .rolloutRestart),
                                     mode: .apply, method: "PATCH", path: "/apis/apps/v1/namespaces/shop/deployments/worker"),
                             at: Self.start.addingTimeInterval(400))
        if seal { try await log.seal(at: Self.start.addingTimeInterval(401)) }
        return log
    }

    func lines() throws -> [String] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func write(_ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
    }

    func verify(_ options: AuditVerifier.Options = AuditVerifier.Options()) throws -> AuditVerification {
        try AuditVerifier.verify(log, options: options)
    }
}
