import Foundation
import Prometheus

/// The loop's metrics, served on `/metrics` in the Prometheus text format. Names and labels
/// are part of medic's interface: dashboards and alerts are written against them.
public struct ControllerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let findings: Gauge
    private let loopDuration: DurationHistogram
    private let lastObservation: Gauge
    private let leader: Gauge
    private let passErrors: Counter
    private let reloadSuccessful: Gauge
    private let reloadFailures: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        findings = registry.makeGauge(descriptor: Self.name("medic_findings", "Findings in the last pass."))
        loopDuration = registry.makeDurationHistogram(
            descriptor: Self.name("medic_loop_duration_seconds", "Time one observe-to-record pass took."),
            buckets: [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
                      .seconds(10), .seconds(30), .seconds(60)])
        lastObservation = registry.makeGauge(descriptor: Self.name(
            "medic_last_successful_observation_timestamp_seconds", "Unix time of the last pass that read the cluster."))
        leader = registry.makeGauge(descriptor: Self.name("medic_leader", "1 while this replica holds the lease, else 0."))
        passErrors = registry.makeCounter(descriptor: Self.name(
            "medic_pass_errors_total", "Errors passes reported (failed observations, queries, requests)."))
        reloadSuccessful = registry.makeGauge(descriptor: Self.name(
            "medic_config_last_reload_successful",
            "0 while a changed runbook or policy file is invalid and the last good one stays in force."))
        reloadFailures = registry.makeCounter(descriptor: Self.name(
            "medic_config_reload_failures_total", "Changed runbook or policy files that could not be loaded."))
        reloadSuccessful.set(to: 1)
    }

    /// Records one pass and how long it took.
    public func record(_ summary: ControllerPassSummary, duration: Duration) {
        findings.set(to: Double(summary.findings))
        loopDuration.record(duration)
        if let observed = summary.observationTime {
            lastObservation.set(to: observed.timeIntervalSince1970)
        }
        if !summary.errors.isEmpty {
            passErrors.increment(by: Int64(summary.errors.count))
        }
        for action in summary.actions {
            registry.makeCounter(
                descriptor: Self.name("medic_actions_total", "Actions medic carried out, by type and result."),
                labels: [("type", action.type), ("result", action.result)]
            ).increment()
        }
        for reason in summary.denialReasons {
            registry.makeCounter(
                descriptor: Self.name("medic_denials_total", "Actions the policy refused, by rule."), labels: [("reason", reason)]
            ).increment()
        }
    }

    /// One notification's fate: `delivered`, `rejected`, `failed`, `held-back`, `dropped` or `unsent`.
    public func recordNotification(target: String, service: String, result: String) {
        registry.makeCounter(
            descriptor: Self.name("medic_notifications_total", "Notifications medic posted, by target, service and result."),
            labels: [("target", target), ("service", service), ("result", result)]
        ).increment()
    }

    public func setLeader(_ isLeader: Bool) {
        leader.set(to: isLeader ? 1 : 0)
    }

    /// Whether the last configuration reload worked.
    public func recordReload(succeeded: Bool) {
        reloadSuccessful.set(to: succeeded ? 1 : 0)
        if !succeeded { reloadFailures.increment() }
    }

    /// The full name in one piece: the registry would otherwise join namespace and unit parts.
    private static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The exposition text `/metrics` serves.
    public func exposition() -> String {
        registry.emitToString()
    }
}
