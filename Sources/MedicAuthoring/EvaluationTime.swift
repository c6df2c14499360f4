import Foundation
import MedicKube

/// `--at` values: RFC 3339 (with or without fractional seconds) or unix seconds, between 1970
/// and the end of year 9999. A number that only makes sense as milliseconds (what
/// `Date.now()` in JavaScript and many log tools print) is refused with the seconds to use.
public enum EvaluationTime {
    /// 9999-12-31T23:59:59Z, the last instant RFC 3339 can write.
    public static let latest: Double = 253_402_300_799

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(Invalid) -> Date {
        if let seconds = Double(text) {
            guard seconds.isFinite, seconds >= 0 else {
                throw Invalid(description: "--at '\(text)' is before 1970; give an RFC 3339 time (2026-11-20T03:00:00Z) or unix seconds")
            }
            if seconds > latest, seconds / 1000 <= latest {
                let fixed = Int64(seconds / 1000)
                throw Invalid(description: "--at '\(text)' looks like milliseconds since 1970; medic takes seconds: "
                    + "--at \(fixed) (\(format(Date(timeIntervalSince1970: Double(fixed)))))")
            }
            guard seconds <= latest else {
                throw Invalid(description: "--at '\(text)' is after the year 9999; give an RFC 3339 time (2026-11-20T03:00:00Z) or unix seconds")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        // Foundation reads years of any length; RFC 3339 has four digits.
        if text.range(of: #"^[0-9]{5,}-"#, options: .regularExpression) != nil {
            throw Invalid(description: "--at '\(text)' is after the year 9999; give an RFC 3339 time (2026-11-20T03:00:00Z) or unix seconds")
        }
        let formatter = ISO8601DateFormatter()
        var date = formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: text)
        }
        guard let date else {
            throw Invalid(description: "--at '\(text)' is neither an RFC 3339 time (2026-11-20T03:00:00Z) nor unix seconds")
        }
        guard date.timeIntervalSince1970 >= 0 else {
            throw Invalid(description: "--at '\(text)' is before 1970; give an RFC 3339 time (2026-11-20T03:00:00Z) or unix seconds")
        }
        return date
    }

    public static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// `12d`, `3h20m`, `25m`, `40s`: how far apart two instants are, for a warning.
    public static func span(_ seconds: TimeInterval) -> String {
        let total = Int(abs(seconds).rounded())
        let (days, hours, minutes) = (total / 86_400, total / 3600 % 24, total / 60 % 60)
        if days > 0 { return hours > 0 && days < 3 ? "\(days)d\(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h\(minutes)m" : "\(hours)h" }
        return minutes > 0 ? "\(minutes)m" : "\(total)s"
    }

    /// How far an evaluation instant may be from the data before medic says so: ages and
    /// "recent" conditions (an OOM kill in the last hour) are measured from it.
    public static let tolerance: TimeInterval = 3600

    /// A warning when `now` is far from when the snapshot was taken (its `capturedAt`, else
    /// its newest timestamp), or before it; nil when they agree.
    public static func skew(of now: Date, snapshot: Snapshot, label: String) -> String? {
        if let captured = snapshot.capturedAt {
            let apart = now.timeIntervalSince(captured)
            guard abs(apart) > tolerance else { return nil }
            return "the evaluation time \(format(now)) is \(span(apart)) \(apart > 0 ? "after" : "before") \(label) was "
                + "captured (\(format(captured))); ages and 'recent' conditions are measured from the evaluation time"
        }
        guard let newest = snapshot.newestTimestamp else { return nil }
        let apart = now.timeIntervalSince(newest.date)
        if apart > tolerance {
            return "\(label) does not say when it was saved, and its newest timestamp (\(format(newest.date)), "
                + "\(newest.source)) is \(span(apart)) before the evaluation time \(format(now)); "
                + "if it was saved then, pass --at \(format(newest.date))"
        }
        if apart < -60 {
            return "the evaluation time \(format(now)) is \(span(apart)) before the newest timestamp in \(label) "
                + "(\(format(newest.date)), \(newest.source)); pass a later --at"
        }
        return nil
    }
}
