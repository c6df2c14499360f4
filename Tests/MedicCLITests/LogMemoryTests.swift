import Foundation
import Logging
import MedicDiagnosis
import MedicAudit
import MedicKube
import MedicRemediation
import Synchronization
import Testing
@testable import MedicController
@testable import medic

/// What `medic run`'s log writes as passes follow each other.
@Suite struct LogMemoryTests {
    /// The `message` of each line written, in order.
    final class Messages: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }

        var logger: Logger {
            Logger(label: "medic") { label in
                LoggingJSONHandler(label: label, logLevel: .debug, write: { line in
                    let message = ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["message"] as? String
                    self.lines.withLock { $0.append(message ?? line) }
                })
            }
        }
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func pass(_ offset: TimeInterval, findings: [Finding] = [], errors: [PassError] = []) -> PassReport {
        var report = PassReport(observationTime: start + offset, mode: .advise)
        report.findings = findings
        report.errors = errors
        return report
    }

    @Test("a pass that could not read the cluster says no finding is gone, and the next that can says nothing is new")
    func blindPass() {
        let messages = Messages()
        let finding = Finding(runbook: "oom-killed", severity: .high, target: ObjectRef(kind: "Deployment", namespace: "shop", name: "api"),
                              summary: "api runs out of memory", evidence: [], actions: [], conditions: [])
        var memory = LogMemory()
        memory.write(Self.pass(0, findings: [finding]), to: messages.logger)
        #expect(messages.all == ["finding"])
        memory.write(Self.pass(1, errors: [.observe("cannot list pods: connection refused")]), to: messages.logger)
        memory.write(Self.pass(2, findings: [finding]), to: messages.logger)
        #expect(messages.all == ["finding"], "a read failure made the log say every finding ended and began again")
        // A pass that reads the cluster without it says it is gone, once.
        memory.write(Self.pass(3), to: messages.logger)
        memory.write(Self.pass(4), to: messages.logger)
        #expect(messages.all == ["finding", "finding gone"])
    }

    @Test("only findings and decisions that are new, say something else or are gone are written, whatever else moved")
    func onlyWhatMoved() {
        let messages = Messages()
        func finding(_ name: String, _ summary: String, evidence: [String] = []) -> Finding {
            Finding(runbook: "oom-killed", severity: .high, target: ObjectRef(kind: "Deployment", namespace: "shop", name: name),
                    summary: summary, evidence: evidence, actions: [], conditions: [])
        }
        func decision(_ id: String, _ reasons: [String]) -> PassReport.DecisionEntry {
            let remediation = Remediation(target: ObjectRef(kind: "Deployment", namespace: "shop", name: id), action: .rolloutRestart)
            return .init(actionID: id, identity: ActionIdentity(runbook: "oom-killed", remediation: remediation), incident: "i-\(id)",
                         verdict: .denied, reasons: reasons, command: nil, outcome: .done)
        }
        var memory = LogMemory()
        var report = Self.pass(0, findings: [finding("api", "api runs out of memory"), finding("web", "web runs out of memory")])
        report.decisions = [decision("a1", ["frozen"]), decision("a2", ["frozen"])]
        memory.write(report, to: messages.logger)
        #expect(messages.all == ["finding", "finding", "decision", "decision"])
        // The same findings, made again (equal, not shared), one with new evidence: nothing new
        // to say; the decisions in another order: nothing either.
        report = Self.pass(1, findings: [finding("api", "api runs out of memory"), finding("web", "web runs out of memory", evidence: ["x"])])
        report.decisions = [decision("a2", ["frozen"]), decision("a1", ["frozen"])]
        memory.write(report, to: messages.logger)
        #expect(messages.all.count == 4)
        // One says something else, one is gone, one is new; a decision's reasons change, one ends.
        report = Self.pass(2, findings: [finding("api", "api runs out of memory again"), finding("db", "db runs out of memory")])
        report.decisions = [decision("a1", ["not allowed"])]
        memory.write(report, to: messages.logger)
        #expect(Array(messages.all.dropFirst(4)) == ["finding", "finding", "finding gone", "decision"])
        // A decision that ended and comes back is written again.
        report.decisions = [decision("a1", ["not allowed"]), decision("a2", ["frozen"])]
        memory.write(report, to: messages.logger)
        #expect(Array(messages.all.dropFirst(8)) == ["decision"])
    }
}
