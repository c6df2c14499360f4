import Foundation

/// Kubernetes time formats: `metav1.Time` is RFC 3339 in whole seconds, UTC.
enum Timestamp {
    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    static func parse(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle().parse(text))
            ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
    }

    /// A stable 64-hex-digit identifier derived from text (container IDs look real this way).
    static func hexID(of text: String) -> String {
        var hash: UInt64 = 1469598103934665603
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 1099511628211
        }
        return String(repeating: String(format: "%016llx", hash), count: 4)
    }
}
