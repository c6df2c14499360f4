import Foundation

/// One value of a series at one instant. Prometheus sends values as strings so that `NaN`,
/// `+Inf` and `-Inf` survive JSON; they arrive here as the matching `Double`.
public struct Sample: Sendable, Equatable {
    public var time: Date
    public var value: Double

    public init(time: Date, value: Double) {
        self.time = time
        self.value = value
    }

    /// NaN is a value Prometheus really returns (e.g. 0/0), so two NaN samples at the same
    /// time are equal here, unlike IEEE comparison.
    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.time == rhs.time && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }

    /// Prometheus' own spelling of special values, plus what Go's ParseFloat also accepts.
    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }
}
