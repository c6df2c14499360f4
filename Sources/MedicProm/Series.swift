import Foundation

/// One labelled time series from a query result. An instant vector holds exactly one sample per
/// series; a range vector (matrix) holds the samples in the range, oldest first.
public struct Series: Sendable, Equatable {
    /// All labels, including `__name__` when the result still carries the metric name.
    public var labels: [String: String]
    public var samples: [Sample]

    public init(labels: [String: String], samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}
