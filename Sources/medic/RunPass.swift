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
        said.write(report, to: logger)
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
}
