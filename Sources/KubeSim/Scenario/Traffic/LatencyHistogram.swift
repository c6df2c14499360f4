/// Request durations in Prometheus' default buckets, kept per Service for the life of the
/// story: `http_request_duration_seconds` is a cumulative histogram, as a client library's is.
struct LatencyHistogram: Sendable, Equatable {
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Per bucket (the last is +Inf), not cumulative.
    private(set) var counts = [Int](repeating: 0, count: bounds.count + 1)
    private(set) var sum: Double = 0
    private(set) var count = 0

    mutating func record(_ seconds: Double) {
        var index = 0
        while index < Self.bounds.count, seconds > Self.bounds[index] { index += 1 }
        counts[index] += 1
        sum += seconds
        count += 1
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        sum += other.sum
        count += other.count
    }

    /// `(le, cumulative count)` pairs, `+Inf` last, as the `_bucket` series are exposed.
    var cumulative: [(le: String, count: Int)] {
        var running = 0
        return counts.indices.map { index in
            running += counts[index]
            return (index < Self.bounds.count ? MetricSample.format(Self.bounds[index]) : "+Inf", running)
        }
    }
}
