import Foundation
import MedicKube

/// A time when nothing may change: a recurring weekly window (weekends, Friday evenings) or a
/// fixed period (a release, the holidays). The reason is shown to whoever asks why medic held
/// back.
public struct FreezeWindow: Sendable, Equatable {
    public enum Schedule: Sendable, Equatable {
        /// From `start` (inclusive) to `end` (exclusive).
        case absolute(start: Date, end: Date)
        /// On each of `days`, from minute `from` to minute `to` of the day in `timeZone`. When
        /// `to` is earlier than `from` the window runs past midnight into the next day.
        case weekly(days: Set<Weekday>, from: Int, to: Int, timeZone: TimeZone)
    }

    public var schedule: Schedule
    public var reason: String

    public init(_ schedule: Schedule, reason: String) {
        self.schedule = schedule
        self.reason = reason
    }

    public func contains(_ date: Date) -> Bool {
        switch schedule {
        case let .absolute(start, end):
            return start <= date && date < end
        case let .weekly(days, from, to, timeZone):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            guard let weekday = parts.weekday.flatMap(Weekday.init(calendarWeekday:)),
                  let hour = parts.hour, let minute = parts.minute else { return false }
            let now = hour * 60 + minute
            if from < to { return days.contains(weekday) && from <= now && now < to }
            return days.contains(weekday) && now >= from || days.contains(weekday.previous) && now < to
        }
    }

    /// `2026-12-24T00:00:00Z – 2026-12-27T00:00:00Z` or `sat, sun 00:00–24:00 UTC`.
    public var span: String {
        switch schedule {
        case let .absolute(start, end):
            return "\(RFC3339.format(start)) – \(RFC3339.format(end))"
        case let .weekly(days, from, to, timeZone):
            let names = Weekday.allCases.filter(days.contains).map(\.rawValue).joined(separator: ", ")
            return "\(names) \(Self.clock(from))–\(Self.clock(to)) \(timeZone.identifier)"
        }
    }

    static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}

/// Days as policies spell them.
public enum Weekday: String, Sendable, CaseIterable {
    case mon, tue, wed, thu, fri, sat, sun

    /// From `Calendar`'s numbering, where 1 is Sunday.
    init?(calendarWeekday: Int) {
        guard (1...7).contains(calendarWeekday) else { return nil }
        self = Weekday.allCases[(calendarWeekday + 5) % 7]
    }

    var previous: Weekday {
        let all = Weekday.allCases
        return all[(all.firstIndex(of: self)! + 6) % 7]
    }
}
