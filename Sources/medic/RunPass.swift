import Foundation
import Logging
import MedicAudit
import MedicController
import MedicDiagnosis
import MedicKube
import MedicNotify
import MedicPolicy
import MedicProm

/// One pass of `medic run`: pick up changed runbooks and policy, then one reconcile pass, and
/// a log line for everything it found, decided and did. The reconciler is rebuilt only when
/// the configuration changed, so what it keeps between passes (deferrals after a 429)
/// survives ordinary passes. It holds a writer only while the effective mode is not advise.
actor RunPass {
    struct Settings: Sendable {
        var connection: ClusterConnection
        var prometheus: String?
        var namespace: String?
        var requestedMode: Mode?
        var identity: String
        var audit: AuditLog
        /// nil when the cluster does not serve `remediations.medic.io`.
        var remediations: RemediationStore?
        /// The watched cache passes read the cluster from; nil (`--once`): a round of LISTs.
        var informer: ClusterInformer?
        /// `--interval`: how often a pass over the watched cache diagnoses everything.
        var sweep: TimeInterval = 30
    }

    private let configuration: ReloadingConfiguration
    private let settings: Settings
    private let logger: Logger
    /// Alertmanager's webhook, when `medic run` serves one: each pass answers what it brought.
    private let alerts: AlertIntake?
    /// Where the policy's `notifications:` are posted; what to post is worked out here.
    private let notifier: Notifier?
    private var notifications = PassNotifications()
    private var said = LogMemory()
    private var reconciler: (generation: Int, value: Reconciler)?
    /// The leadership term whose start last read the Remediation objects (0: no election).
    private var adoptedTerm: Int?

    init(configuration: ReloadingConfiguration, settings: Settings, logger: Logger, alerts: AlertIntake? = nil,
         notifier: Notifier? = nil) {
        self.configuration = configuration
        self.settings = settings
        self.logger = logger
        self.alerts = alerts
        self.notifier = notifier
    }

    /// `fence`: the leader's, asked before every write of the pass; nil without election.
    func run(fence: (any WriteFence)? = nil) async -> ControllerPassSummary {
        let loaded = await configuration.refresh()
        if let failure = await adopt(term: (fence as? LeaseFence)?.term ?? 0) { return failure }
        let reconciler = reconciler(for: loaded)
        let report = await reconciler.pass(alerts: await alerts?.take() ?? .init(), fence: fence)
        for answer in report.alerts {
            await alerts?.opened(answer.incidents, for: answer.alert.fingerprint)
        }
        log(report)
        await notify(report, loaded: loaded)
        var summary = ControllerPassSummary(report)
        if let store = reconciler.configuration.remediations {
            for error in await store.collect(retention: loaded.policy.remediationRetention, now: Date(),
                                             ledger: await settings.audit.ledger, fence: fence) {
                logger.error("remediation object", metadata: ["error": "\(error)"])
                summary.errors.append(error)
            }
        }
        return summary
    }

    /// At the start of each leadership term (and the first pass), takes into the ledger what
    /// the Remediation objects hold that this replica's log does not: what another replica did
    /// before a failover, or everything when this one started on an empty disk. A pass that
    /// cannot read them does not run: it might act twice.
    private func adopt(term: Int) async -> ControllerPassSummary? {
        guard let store = settings.remediations, adoptedTerm != term else { return nil }
        do {
            let objects = try await store.load()
            let adopted = try await settings.audit.adopt(objects.flatMap { $0.status?.records ?? [] }, from: "Remediation objects")
            logger.info("remediation objects read", metadata: [
                "objects": .stringConvertible(objects.count), "records new to this replica": .stringConvertible(adopted),
            ])
            adoptedTerm = term
            return nil
        } catch {
            let message = "cannot read the Remediation objects, so no pass runs (it could repeat what another replica did): \(error)"
            logger.error("remediation objects", metadata: ["error": "\(message)"])
            var summary = ControllerPassSummary(errors: [message])
            summary.stateError = message
            return summary
        }
    }

    /// Queues what this pass has to tell; never waits for a receiver.
    private func notify(_ report: PassReport, loaded: ReloadingConfiguration.Loaded) async {
        let severities = Dictionary(loaded.runbooks.map { ($0.id, $0.severity) }, uniquingKeysWith: { first, _ in first })
        let notices = notifications.notifications(for: report, ledger: await settings.audit.ledger, severities: severities)
        guard let notifier, !loaded.policy.notifications.isEmpty, !notices.isEmpty else { return }
        await notifier.post(notices, to: loaded.policy.notifications)
    }

    private func reconciler(for loaded: ReloadingConfiguration.Loaded) -> Reconciler {
        if let reconciler, reconciler.generation == loaded.generation { return reconciler.value }
        let mode = loaded.policy.effectiveMode(requested: settings.requestedMode)
        let writer = mode == .advise ? nil : KubeWriter(connection: settings.connection)
        var configuration = ReconcilerConfiguration(
            reader: KubeReader(connection: settings.connection), writer: writer,
            prometheus: settings.prometheus.map { PrometheusClient(baseURL: $0, timeout: .seconds(10)) },
            runbooks: loaded.runbooks, policy: loaded.policy, requestedMode: settings.requestedMode, audit: settings.audit,
            events: writer.map { EventRecorder(writer: $0, instance: settings.identity) },
            identity: settings.identity, namespace: settings.namespace,
            // Advise mode writes nothing to the cluster, Remediation objects included.
            remediations: mode == .advise ? nil : settings.remediations, informer: settings.informer)
        configuration.sweepInterval = settings.sweep
        let built = Reconciler(configuration: configuration)
        logger.info("reconciler configured", metadata: [
            "mode": "\(built.mode.rawValue)", "policy": "\(loaded.policy.name)", "runbooks": .stringConvertible(loaded.runbooks.count),
            "notifications": .array(loaded.policy.notifications.map { "\($0.name) (\($0.service.name))" }),
        ])
        for target in loaded.policy.notifications {
            for problem in target.unresolvableSecrets() {
                logger.error("notification target cannot send", metadata: ["target": "\(target.name)", "problem": "\(problem)"])
            }
        }
        reconciler = (loaded.generation, built)
        return built
    }

    /// Findings, decisions and unknown checks are logged when they are new or differ from
    /// what the last pass logged (and a finding's end as `finding gone`), so a cluster that
    /// stays as it is keeps the log quiet; unknown checks one line per runbook.
    private func log(_ report: PassReport) {
        // A section that holds what it held last pass says nothing new: most passes on a busy
        // cluster keep the report (whose arrays then compare at once) and every decision.
        if said.changed(\.findings, to: report.findings) {
            var current = Set<String>()
            for finding in report.findings {
                let commands = finding.actions.compactMap { $0.command.map { "\($0)" } }
                let key = "finding \(finding.id)"
                current.insert(key)
                guard said.isNew(key, [finding.severity.rawValue, finding.summary] + commands) else { continue }
                logger.notice("finding", metadata: [
                    "runbook": "\(finding.runbook)", "severity": "\(finding.severity.rawValue)", "target": "\(finding.target)",
                    "summary": "\(finding.summary)", "commands": .array(commands.map { "\($0)" }),
                ])
            }
            for gone in said.forget(prefix: "finding ", keeping: current) {
                logger.notice("finding gone", metadata: ["finding": "\(gone.dropFirst("finding ".count))"])
            }
        }
        if said.changed(\.decisions, to: report.decisions) {
            var current = Set<String>()
            for decision in report.decisions {
                let reasons = decision.reasons.map { "\($0)" }
                let key = "decision \(decision.actionID)"
                current.insert(key)
                guard said.isNew(key, [decision.verdict.rawValue, decision.command ?? ""] + reasons) else { continue }
                logger.info("decision", metadata: [
                    "action": "\(decision.actionID)", "verdict": "\(decision.verdict.rawValue)",
                    "command": "\(decision.command ?? "")", "reasons": .array(reasons.map { "\($0)" }),
                ])
            }
            _ = said.forget(prefix: "decision ", keeping: current)
        }
        for execution in report.executions {
            logger.notice("action", metadata: [
                "action": "\(execution.actionID)", "type": "\(execution.remediation.action.type)",
                "target": "\(execution.remediation.target)", "result": "\(execution.result.summary)",
            ])
        }
        for answer in report.alerts {
            for line in answer.lines {
                logger.notice("\(line)", metadata: [
                    "alert": "\(answer.alert.name)", "fingerprint": "\(answer.alert.fingerprint)", "objects": "\(answer.scope)",
                    "runbooks": .array(answer.runbooks.map { "\($0)" }), "findings": .array(answer.findings.map { "\($0.id)" }),
                    "incidents": .array(answer.incidents.map { "\($0)" }),
                ])
            }
        }
        for closure in report.closedAlerts {
            logger.notice("\(closure.line)", metadata: [
                "alert": "\(closure.alert.name)", "fingerprint": "\(closure.alert.fingerprint)",
                "incidents": .array(closure.incidents.map { "\($0)" }),
            ])
        }
        // Thousands of checks without Prometheus: grouped by position, each described only
        // when its runbook's line is written.
        if said.changed(\.unknown, to: report.unknown) {
            var current = Set<String>()
            for (runbook, positions) in Dictionary(grouping: report.unknown.indices, by: { report.unknown[$0].runbook })
                .sorted(by: { $0.key < $1.key }) {
                let key = "unknown \(runbook)"
                current.insert(key)
                guard said.isNew(key, positions.map { report.unknown[$0].target }) else { continue }
                let first = report.unknown[positions[0]]
                logger.info("unknown check", metadata: [
                    "runbook": "\(runbook)", "targets": .stringConvertible(positions.count), "target": "\(first.target)",
                    "reason": "\(first.conditions.first { $0.truth == .unknown }?.detail ?? "")",
                ])
            }
            _ = said.forget(prefix: "unknown ", keeping: current)
        }
    }
}

/// What `medic run`'s log has said and still holds, by key: a line is written again only
/// when what it says changed.
struct LogMemory {
    private var said: [String: Int] = [:]
    /// What the last pass held in each section.
    var findings: [Finding]?
    var decisions: [PassReport.DecisionEntry]?
    var unknown: [UndecidedCheck]?

    /// Whether a section holds something else than last pass; remembers `value` either way.
    mutating func changed<Value: Equatable>(_ section: WritableKeyPath<LogMemory, Value?>, to value: Value) -> Bool {
        defer { self[keyPath: section] = value }
        return self[keyPath: section] != value
    }

    /// Whether `key` is new or now says something else; remembers `content` either way.
    mutating func isNew(_ key: String, _ content: some Hashable) -> Bool {
        let hash = content.hashValue
        defer { said[key] = hash }
        return said[key] != hash
    }

    /// Forgets the keys of one section (`prefix`) a pass no longer has, and returns them.
    mutating func forget(prefix: String, keeping current: Set<String>) -> [String] {
        let gone = said.keys.filter { $0.hasPrefix(prefix) && !current.contains($0) }.sorted()
        for key in gone { said[key] = nil }
        return gone
    }
}
