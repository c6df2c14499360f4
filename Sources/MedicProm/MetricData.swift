/// What Prometheus gave for one metric condition's query, or why nothing could be had. The
/// diagnosis never sees a failed query as "no problem": `unavailable` makes conditions unknown.
public enum MetricData: Sendable {
    case series([Series])
    case unavailable(reason: String)
}
