import Foundation

/// What a PromQL query evaluated to, by Prometheus' four result types. An empty vector means
/// "no such series at that time", which rules must treat as unknown, not as zero or false.
public enum QueryResult: Sendable, Equatable {
    case vector([Series])
    case matrix([Series])
    case scalar(Sample)
    case string(String)
}
