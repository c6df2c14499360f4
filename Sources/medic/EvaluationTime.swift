import Foundation

/// `--at` values: RFC 3339 (with or without fractional seconds) or unix seconds.
enum EvaluationTime {
    static func parse(_ text: String) -> Date? {
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
