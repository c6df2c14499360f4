import ArgumentParser
import Foundation
import Logging
import MedicAudit
import MedicController
import MedicKube
import MedicNotify
import MedicPolicy
import MedicRunbook
import ServiceLifecycle

/// `medic run`: the long-running controller. One ServiceGroup holds, in start order, the
/// audit log, the metrics/health server, the leader elector and the loop; graceful shutdown (SIGTERM,
/// SIGINT) stops them in reverse, so the loop finishes its pass before the lease is given up.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run medic as a controller: diagnose (and, as the policy allows, fix) the cluster on a schedule.",
        discussion: """
        Every --interval, the replica holding the Lease (--lease-name in --lease-namespace) \
        reads Prometheus, matches the runbooks again where the clock or the metrics can \
        change the answer (everywhere, every tenth time) and, as far as the policy and \
        --mode allow, acts, verifies and records. It watches the cluster meanwhile: a change \
        starts a pass within a second that diagnoses only what the change touched, with \
        the metrics of the last interval. Other replicas wait and take over when the \
        leader stops renewing the lease (at most ~15 s after it died; at once when it shut \
        down cleanly).

        Runbook and policy files are re-read when they change. A change that does not load \
        is logged with its file:line:col error and the last good configuration stays in force \
        (metric medic_config_last_reload_successful is 0 meanwhile).

        Logs are JSON lines on stderr. --listen serves /metrics (Prometheus), /healthz (the \
        process answers) and /readyz (configuration loaded, and the cluster read once when \
        leading). In a pod, listen on 0.0.0.0:8080 so the kubelet and Prometheus reach it.

        Alertmanager's webhook receiver can post to POST /api/v1/alerts on the same address \
        (--alert-token-file for a bearer token): a new firing alert starts a pass at once, \
        whose log answers it with the findings of the runbooks listing its name in \
        metadata.triggers on the objects its labels name; its resolve closes that incident.

        Without --policy, policies/default.yaml shipped with medic is used (advise only); with \
        no policy file at all medic only advises. --mode can lower the policy's mode, never \
        raise it.

        Examples:
          medic run --context dev --interval 1m
          medic run --once --policy policies/production.yaml --mode dry-run
          medic run --listen 0.0.0.0:8080 \\
              --prometheus http://prometheus.monitoring:9090 \\
              --audit-log /var/lib/medic/audit/audit.log   # in a pod

        Exit codes: 0 stopped cleanly (--once: the pass found nothing), 1 --once: findings or \
        errors in the pass, 2 usage, configuration or cluster connection error.
        """
    )

    @Option(name: .long, help: ArgumentHelp(
        "Policy file (default: policies/default.yaml shipped with medic; advise only when there is none).",
        valueName: "file"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("advise, dry-run or apply; lowers the policy's mode, never raises it.", valueName: "mode"))
    var mode: String?

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var metricSource: PrometheusOptions

    @Option(name: .long, help: ArgumentHelp(
        "Append-only, hash-chained audit log (JSON lines): medic's memory of what it did.", valueName: "file"))
    var auditLog: String = "medic-audit.jsonl"

    @Flag(name: .long, help: ArgumentHelp(
        "Also write each audit record to stdout as it is written, one JSON line each: the pod's log then carries the chain to the cluster's log pipeline, and `medic audit verify` accepts it."))
    var auditStdout = false

    @OptionGroup var runbookSources: RunbookOptions

    @OptionGroup var scope: NamespaceOptions

    @Option(name: .long, help: ArgumentHelp("Time between passes: 30s, 1m, 1h30m.", valueName: "duration"))
    var interval: String = "30s"

    @Flag(name: .long, help: "Run one pass without leader election or servers, then exit.")
    var once = false

    @Option(name: .long, help: ArgumentHelp(
        "Address for /metrics, /healthz, /readyz and Alertmanager's webhook (POST /api/v1/alerts).", valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Option(name: .long, help: ArgumentHelp(
        "File holding the bearer token Alertmanager must send (http_config.authorization); without it the webhook is open.",
        valueName: "file"))
    var alertTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Name of the coordination.k8s.io/v1 Lease replicas compete for.", valueName: "name"))
    var leaseName: String = "medic"

    @Option(name: .long, help: ArgumentHelp(
        "Namespace of the Lease (default: the pod's namespace in a cluster, else the context's, else default).",
        valueName: "ns"))
    var leaseNamespace: String?

    @Option(name: .long, help: ArgumentHelp(
        "This replica's name in the Lease (default: the hostname, which is the pod name in a cluster).",
        valueName: "name"))
    var identity: String?

    @Option(name: .long, help: ArgumentHelp("Seconds a lease lasts without renewal.", valueName: "seconds"))
    var leaseDuration: Int = 15

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        if let mode, Mode(rawValue: mode) == nil {
            throw ValidationError("--mode '\(mode)' must be advise, dry-run or apply")
        }
        guard let seconds = GoDuration.seconds(interval), seconds > 0 else {
            throw ValidationError("--interval '\(interval)' is not a positive duration such as 30s, 1m or 1h30m")
        }
        if RunListenAddress(listen) == nil {
            throw ValidationError("--listen '\(listen)' must be HOST:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level '\(logLevel)' must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard leaseDuration >= 3 else {
            throw ValidationError("--lease-duration must be at least 3 seconds (renewals happen every second or more)")
        }
        if let identity, identity.isEmpty { throw ValidationError("--identity must not be empty") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let logger = Logger(label: "medic") { LoggingJSONHandler(label: $0, logLevel: level) }
        let metrics = ControllerMetrics()
        let health = HealthState()
        let configuration: ReloadingConfiguration
        do {
            configuration = try ReloadingConfiguration(
                runbookDirectories: try runbookSources.directories(), policyFile: try RunPolicyLocation.resolve(policy),
                logger: logger, onReload: { metrics.recordReload(succeeded: $0) })
        } catch let error as LoadError {
            throw InputError(description: "medic: configuration error: \(error)")
        }
        await health.configurationDidLoad()
        var connection = try cluster.connect()
        let loaded = await configuration.current
        logger.info("configuration loaded", metadata: [
            "runbooks": "\(loaded.runbooks.count)", "policy": "\(loaded.policy.name)",
            "mode": "\(loaded.policy.effectiveMode(requested: mode.flatMap(Mode.init(rawValue:))).rawValue)",
            "cluster": "\(connection.origin.isEmpty ? connection.server : connection.origin)",
        ])
        let identity = self.identity ?? ProcessInfo.processInfo.hostName
        connection.userAgent = "medic (\(identity))"
        let audit: AuditLog
        do {
            let url = URL(fileURLWithPath: auditLog)
            let stdout: @Sendable (Data) -> Void = { line in FileHandle.standardOutput.write(line) }
            let echo = auditStdout ? stdout : nil
            audit = try AuditLog(url: url, name: url.lastPathComponent, echo: echo)
        } catch {
            throw InputError(description: "medic: cannot open the audit log \(auditLog): \(error)")
        }
        let remediations = try await Self.remediationStore(connection: connection, logger: logger)
        let alerts = AlertIntake()
        let notifier = Notifier(logger: logger, onOutcome: { metrics.recordNotification(target: $0.target, service: $0.service, result: $0.result) })
        // A long-running medic watches the cluster instead of listing it every pass.
        let informer = once ? nil : ClusterInformer(lists: ClusterSnapshotReader(reader: KubeReader(connection: connection),
                                                                                namespace: scope.namespace, logCache: CrashLogCache()))
        let pass = RunPass(
            configuration: configuration,
            settings: .init(connection: connection, prometheus: metricSource.prometheus, namespace: scope.namespace,
                            requestedMode: mode.flatMap(Mode.init(rawValue:)), identity: identity, audit: audit,
                            remediations: remediations, informer: informer, sweep: GoDuration.seconds(interval) ?? 30),
            logger: logger, alerts: alerts, notifier: notifier)
        if once {
            let controller = ControllerService(
                configuration: .init(), metrics: metrics, health: health, logger: logger, pass: { await pass.run(fence: $0) })
            let summary = await controller.runPass()
            await NotificationService.deliverQueued(notifier, within: .seconds(30))
            do {
                _ = try await audit.seal()
            } catch {
                logger.error("the audit log could not be sealed", metadata: ["error": "\(error)"])
                throw ExitCode(1)
            }
            if summary.findings > 0 || !summary.succeeded { throw ExitCode(1) }
            return
        }
        try await serve(connection: connection, identity: identity, audit: audit, metrics: metrics, health: health, logger: logger,
                        pass: pass, alerts: alerts, notifier: notifier, informer: informer)
    }

    /// The store of Remediation objects when the cluster serves their CRD; without it the audit
    /// log on this disk is medic's only memory, which a new pod or a failover loses.
    private static func remediationStore(connection: ClusterConnection, logger: Logger) async throws -> RemediationStore? {
        do {
            if try await RemediationStore.isServed(connection: connection) { return RemediationStore(connection: connection) }
        } catch {
            throw InputError(description: "medic: cannot tell whether the cluster serves remediations.medic.io: \(error)")
        }
        logger.warning("remediations.medic.io is not installed: medic's memory of its actions is only the audit log on this disk, which a new pod or a failover loses; apply deploy/base/crd-remediations.yaml")
        return nil
    }

    /// The webhook's bearer token, trimmed; a file that cannot be read is an input error.
    private func alertToken() throws -> String? {
        guard let alertTokenFile else { return nil }
        guard let text = try? String(contentsOfFile: alertTokenFile, encoding: .utf8),
              case let token = text.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw InputError(description: "medic: cannot read the alert token file \(alertTokenFile): expected a file holding the bearer token")
        }
        return token
    }

    private func serve(
        connection: ClusterConnection, identity: String, audit: AuditLog, metrics: ControllerMetrics, health: HealthState,
        logger: Logger, pass: RunPass, alerts: AlertIntake, notifier: Notifier, informer: ClusterInformer?
    ) async throws {
        let election = LeaderElectionConfiguration(
            leaseName: leaseName, namespace: leaseNamespace ?? connection.namespace,
            identity: identity,
            leaseDuration: .seconds(leaseDuration), renewDeadline: .seconds(leaseDuration) * (2.0 / 3.0),
            retryPeriod: .seconds(leaseDuration) * (2.0 / 15.0))
        do {
            try election.validate()
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        let elector = LeaderElector(configuration: election, connection: connection, logger: logger) { isLeader in
            metrics.setLeader(isLeader)
            await health.leadershipDidChange(isLeader)
        }
        metrics.setLeader(false)
        let address = RunListenAddress(listen) ?? RunListenAddress(host: "127.0.0.1", port: 8080)
        let server = MetricsServer(host: address.host, port: address.port, metrics: metrics, health: health, logger: logger,
                                   alerts: alerts, alertToken: try alertToken())
        let controller = ControllerService(
            configuration: .init(interval: .seconds(GoDuration.seconds(interval) ?? 30)),
            metrics: metrics, health: health, logger: logger, alerts: alerts, changes: informer?.changes,
            lead: { run in await elector.lead { await run($0) } }, pass: { await pass.run(fence: $0) })
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: RunAuditSink(log: audit)),
                .init(service: server),
            ] + (informer.map { [.init(service: RunInformer(informer: $0))] } ?? []) + [
                .init(service: elector),
                // After the controller in shutdown order: what its last pass queued is still sent.
                .init(service: NotificationService(notifier: notifier)),
                .init(service: controller, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            throw InputError(description: "medic: \(error)")
        }
    }
}
