import Foundation
import MedicKube
import MedicProm
import MedicRemediation
import MedicRunbook
@testable import MedicDiagnosis

/// Runs the built-in runbooks over the fixture snapshots, at the fixtures' instant.
enum RunbookFixtures {
    static let instant = ISO8601DateFormatter().date(from: "2026-11-20T03:00:00Z")!
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let runbookDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("runbooks")

    static func runbook(_ id: String) throws -> Runbook {
        try RunbookLoader.loadFile(runbookDirectory.appendingPathComponent("\(id).yaml"))
    }

    static func cluster(_ fixture: String) throws -> ClusterView {
        ClusterView(try Snapshot.load(contentsOf: directory.appendingPathComponent(fixture)))
    }

    static func diagnose(_ fixture: String, with id: String, metrics: [String: MetricData] = [:],
                         at now: Date = instant) throws -> DiagnosisReport {
        Diagnoser(runbooks: [try runbook(id)]).diagnose(try cluster(fixture), metrics: metrics, options: .init(now: now))
    }
}

extension Finding {
    var commands: [String] { actions.compactMap(\.command) }
    var types: [String] { actions.map(\.type) }
    var notifyMessage: String? {
        actions.lazy.compactMap { $0.remediation.action.as(Notify.self)?.message }.first
    }
}
