import MedicKube
import MedicProm

/// Calls the metrics show, when a request counter carries both ends: medic's convention,
/// `http_client_requests_total{namespace, service, target}` (the calling Service and the host
/// it calls, as KubeSim and the retry-storm runbook count them), and Istio's
/// `istio_requests_total` as its sidecars report them. They add edges the objects cannot
/// show (an address inside the image, a client library's configuration). A counter that is
/// not there adds nothing; it is never a condition medic must decide.
public enum MetricCalls {
    /// One edge: a caller (a Service, whose selected workloads make the calls, or a workload
    /// by name) calls a Service.
    public struct Edge: Sendable, Hashable {
        public enum Caller: Sendable, Hashable {
            case service(String)
            case workload(String)
        }

        public var namespace: String
        public var caller: Caller
        public var target: ObjectRef
        /// The metric that shows it, for the reason a person reads.
        public var metric: String
    }

    static let convention = "http_client_requests_total"
    static let istio = "istio_requests_total"

    /// The instant queries medic sends with its runbooks' (each a 1-minute subquery, as a
    /// metric condition's): any sample is a call made within the last 10 minutes.
    public static let queries = [
        "(sum by (namespace, service, target) (rate(\(convention)[10m])) > 0)[1m:1m]",
        "(sum by (source_workload_namespace, source_workload, destination_service_namespace, destination_service_name) "
            + "(rate(\(istio){reporter=\"source\"}[10m])) > 0)[1m:1m]",
    ]

    /// The edges in the answers to `queries`; a query without an answer gives none.
    public static func edges(in metrics: [String: MetricData]) -> [Edge] {
        var edges = Set<Edge>()
        for series in answer(queries[0], in: metrics) {
            guard let namespace = series.labels["namespace"], let service = series.labels["service"],
                  let target = series.labels["target"], !target.isEmpty else { continue }
            edges.insert(Edge(namespace: namespace, caller: .service(service),
                              target: ObjectRef(kind: "Service", namespace: namespace, name: target), metric: convention))
        }
        for series in answer(queries[1], in: metrics) {
            guard let namespace = series.labels["source_workload_namespace"], let workload = series.labels["source_workload"],
                  let target = series.labels["destination_service_name"], !target.isEmpty, workload != "unknown" else { continue }
            let targetNamespace = series.labels["destination_service_namespace"].flatMap { $0.isEmpty ? nil : $0 } ?? namespace
            edges.insert(Edge(namespace: namespace, caller: .workload(workload),
                              target: ObjectRef(kind: "Service", namespace: targetNamespace, name: target), metric: istio))
        }
        return edges.sorted { ($0.namespace, $0.target.name, $0.metric) < ($1.namespace, $1.target.name, $1.metric) }
    }

    private static func answer(_ query: String, in metrics: [String: MetricData]) -> [Series] {
        if case .series(let series) = metrics[query] { series } else { [] }
    }
}
