import Foundation
import Logging
import MedicController
import MedicDiagnosis
import MedicKube
import MedicPolicy

/// One pass of `medic run`: re-read changed configuration, read the cluster and Prometheus,
/// diagnose, and log every finding with its proposed commands. Until the act stage is wired
/// in, this is advise only whatever the mode: nothing here holds a writer.
struct RunPass: Sendable {
    var configuration: ReloadingConfiguration
    var connection: ClusterConnection
    var prometheus: String?
    var namespace: String?
    var requestedMode: Mode?
    var logger: Logger

    func run() async -> ControllerPassSummary {
        let loaded = await configuration.refresh()
        let now = Date()
        let reading: ClusterSnapshotReader.Reading
        do {
            reading = try await ClusterSnapshotReader(reader: KubeReader(connection: connection), namespace: namespace).read()
        } catch {
            return ControllerPassSummary(errors: ["cannot read the cluster: \(error)"])
        }
        for warning in reading.warnings {
            logger.warning("cluster read warning", metadata: ["warning": "\(warning)"])
        }
        let diagnoser = Diagnoser(runbooks: loaded.runbooks)
        let metrics = await MetricFetcher(baseURL: prometheus, timeout: .seconds(10)).fetch(diagnoser.metricQueries, at: now)
        let report = diagnoser.diagnose(ClusterView(reading.snapshot), metrics: metrics, options: .init(now: now, namespace: namespace))
        let mode = loaded.policy.effectiveMode(requested: requestedMode)
        for finding in report.findings {
            logger.notice("finding", metadata: [
                "runbook": "\(finding.runbook)", "severity": "\(finding.severity.rawValue)",
                "target": "\(finding.target)",
                "summary": "\(finding.summary)", "mode": "\(mode.rawValue)",
                "commands": .array(finding.actions.compactMap { $0.command.map { "\($0)" } }),
            ])
        }
        for check in report.undecided {
            logger.info("unknown check", metadata: [
                "runbook": "\(check.runbook)",
                "target": "\(check.target)",
            ])
        }
        return ControllerPassSummary(findings: report.findings.count, observationTime: now)
    }
}
