import Foundation

/// Why a local Prometheus could not be started, with the tool output that says so.
public struct LocalPrometheusError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
