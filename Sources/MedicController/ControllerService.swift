import Foundation
import Logging
import MedicKube
import ServiceLifecycle

/// The loop of `medic run`: while this replica leads, one observe → diagnose → decide → act
/// → verify → record pass every `interval`. The pass is a closure so the schedule does not
/// depend on what a pass does; a pass reports its problems in its summary instead of
/// throwing, so one bad pass never stops the loop. Graceful shutdown lets a running pass
/// finish (an action that was started gets its outcome recorded) and skips the next.
public struct ControllerService: ServiceLifecycle.Service {
    public var configuration: ControllerConfiguration
    private let metrics: ControllerMetrics
    private let health: HealthState
    private let logger: Logger
    private let lead: Leadership
    private let pass: Pass
    /// A new firing alert ends the wait for the next pass.
    private let alerts: AlertIntake?
    /// A change to the watched cluster ends it too, after `configuration.changeSettle`.
    private let changes: Wakeup?
    /// Read warnings are logged once per kind per interval, not every pass.
    private let warnings: WarningThrottle

    /// One pass; every write it makes asks `fence` first (nil: no leader election).
    public typealias Pass = @Sendable (_ fence: (any WriteFence)?) async -> ControllerPassSummary
    /// Runs a pass if this replica leads, and cancels it if it stops leading meanwhile; nil
    /// when it does not lead (`LeaderElector.lead(_:)`).
    public typealias Leadership = @Sendable (_ pass: @escaping Pass) async -> ControllerPassSummary?

    /// `lead` starts every pass; without leader election each pass runs, unfenced.
    public init(
        configuration: ControllerConfiguration, metrics: ControllerMetrics, health: HealthState, logger: Logger,
        alerts: AlertIntake? = nil, changes: Wakeup? = nil,
        lead: @escaping Leadership = { await $0(nil) },
        pass: @escaping Pass
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.alerts = alerts
        self.changes = changes
        warnings = WarningThrottle(every: configuration.interval)
        self.lead = lead
        self.pass = pass
    }

    public func run() async throws {
        let clock = ContinuousClock()
        logger.info("controller started", metadata: ["interval": "\(configuration.interval)"])
        // When the next pass on the timer is due: `interval` after the last one, whatever
        // passes changes started in between (those diagnose only what changed).
        var timerPass = clock.now
        // Passes in a row that could not read the cluster: each waits longer for the next
        // change, as client-go's workqueue backs off an item that keeps failing.
        var failures = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let started = clock.now
            let wait: Duration
            let summary = await lead({ fence in await runPass(fence: fence) })
            if let summary {
                if started >= timerPass { timerPass = started + configuration.interval }
                wait = timerPass - clock.now
                failures = summary.observationTime == nil ? min(failures + 1, 16) : 0
            } else {
                // A replica that comes to lead starts with a pass over everything.
                timerPass = clock.now
                wait = configuration.followerPollInterval
            }
            if wait > .zero {
                let settle = Self.settle(configuration.changeSettle, failures: failures, limit: configuration.interval)
                // Only a leader's passes are woken by changes: a follower runs none.
                _ = try? await cancelWhenGracefulShutdown {
                    await Self.sleep(for: wait, orUntilAlertFrom: alerts, orChangeFrom: summary != nil ? changes : nil,
                                     settle: settle)
                }
            }
        }
        logger.info("controller stopped")
    }

    /// How long after a change its pass starts: `settle`, doubled for every failed pass in
    /// a row, at most `limit`.
    public static func settle(_ settle: Duration, failures: Int, limit: Duration) -> Duration {
        min(settle * (1 << min(failures, 16)), max(limit, settle))
    }

    /// Returns after `duration`, as soon as Alertmanager reports a new firing alert, or
    /// `settle` after the watched cluster changed (later changes within it fold into the pass).
    private static func sleep(for duration: Duration, orUntilAlertFrom alerts: AlertIntake?,
                              orChangeFrom changes: Wakeup?, settle: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            if let alerts {
                group.addTask { await alerts.nextWake() }
            }
            if let changes {
                group.addTask {
                    await changes.wait()
                    try? await Task.sleep(for: settle)
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// One pass, recorded in the metrics, the readiness state and the log. `medic run --once`
    /// calls this directly.
    public func runPass(fence: (any WriteFence)? = nil) async -> ControllerPassSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let summary = await pass(fence)
        let duration = clock.now - started
        metrics.record(summary, duration: duration)
        if summary.observationTime != nil {
            await health.observationDidSucceed()
        }
        await health.stateWrite(failed: summary.stateError)
        for error in summary.errors {
            logger.error("pass error", metadata: ["error": "\(error)"])
        }
        for warning in warnings.toLog(summary.warnings, at: clock.now) {
            logger.warning("read warning", metadata: ["warning": "\(warning)"])
        }
        var metadata: Logger.Metadata = [
            "findings": .stringConvertible(summary.findings),
            "diagnosed": .stringConvertible(summary.diagnosed),
            "actions": .array(summary.actions.map { "\($0.type)=\($0.result)" }),
            "denials": .array(summary.denialReasons.map { "\($0)" }),
            "errors": .stringConvertible(summary.errors.count),
            "duration_seconds": .stringConvertible(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18),
        ]
        if let observed = summary.observationTime {
            metadata["observed_at"] = "\(RFC3339.format(observed))"
        }
        logger.info("pass finished", metadata: metadata)
        return summary
    }
}
