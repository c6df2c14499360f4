import Foundation
import MedicKube

/// The four things a chart shows for each workload medic found something on, as PromQL over
/// the metrics runbooks already read (runbooks/*.yaml): the RED error share and p95 at its
/// Service (`http_requests_total`, `http_request_duration_seconds`, the same queries the demo
/// measures before and after), container restarts, and the saturation that runbook is about.
public enum ReportMetric: Sendable, Equatable, CaseIterable {
    case errorRate, p95Latency, restarts, saturation

    /// What the saturation chart plots: the resource the root cause is about.
    public enum Saturation: String, Sendable, Equatable {
        case pool = "connection pool in use"
        case memory = "memory / limit"
        case cpu = "CPU / limit"

        /// pool-exhaustion reads the pool, oom-killed memory; everything else CPU.
        public init(runbook: String) {
            switch runbook {
            case "pool-exhaustion": self = .pool
            case "oom-killed": self = .memory
            default: self = .cpu
            }
        }
    }

    public func title(_ saturation: Saturation) -> String {
        switch self {
        case .errorRate: "Error rate (share of 5xx)"
        case .p95Latency: "p95 latency"
        case .restarts: "Container restarts (per 5 min)"
        case .saturation: "Saturation: \(saturation.rawValue)"
        }
    }

    public var unit: LineChart.Unit {
        switch self {
        case .errorRate, .saturation: .ratio
        case .p95Latency: .seconds
        case .restarts: .count
        }
    }

    /// One series for `target`. Services are named like their workload in the scenarios and in
    /// most installs; a workload whose Service is named otherwise has no RED series, and the
    /// chart says so.
    public func promql(for target: ObjectRef, saturation: Saturation) -> String {
        let service = #"namespace="\#(target.namespace)",service="\#(target.name)""#
        let pods = #"namespace="\#(target.namespace)",pod=~"\#(Self.podPattern(target))""#
        switch self {
        case .errorRate:
            return #"sum(rate(http_requests_total{\#(service),status=~"5.."}[1m])) / sum(rate(http_requests_total{\#(service)}[1m]))"#
        case .p95Latency:
            return "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{\(service)}[1m])))"
        case .restarts:
            return "sum(increase(kube_pod_container_status_restarts_total{\(pods)}[5m]))"
        case .saturation:
            switch saturation {
            case .pool:
                return "max(db_connections_active{\(service)} / db_connections_max{\(service)})"
            case .memory:
                return #"max(container_memory_working_set_bytes{\#(pods),container!=""} / on (namespace, pod, container) kube_pod_container_resource_limits{resource="memory"})"#
            case .cpu:
                return #"max(rate(container_cpu_usage_seconds_total{\#(pods),container!=""}[1m]) / on (namespace, pod, container) kube_pod_container_resource_limits{resource="cpu"})"#
            }
        }
    }

    /// A workload's pods are named after it (`name-<hash>-<id>`, `name-0`); a Pod target is itself.
    /// Kubernetes names hold only `[a-z0-9.-]`, so a dot is the one character to escape (twice:
    /// once for the regular expression, once for the PromQL string).
    static func podPattern(_ target: ObjectRef) -> String {
        let name = target.name.replacingOccurrences(of: ".", with: #"\\."#)
        return target.kind == "Pod" ? name : "\(name)-.+"
    }
}
