/// kubectl's AGE text (`duration.HumanDuration` in apimachinery): `45s`, `3m20s`, `5h`, `10d`, `2y30d`.
enum HumanDuration {
    static func text(seconds total: Int) -> String {
        if total < -1 { return "<invalid>" }
        if total < 0 { return "0s" }
        if total < 60 * 2 { return "\(total)s" }
        let minutes = total / 60
        if minutes < 10 {
            let seconds = total % 60
            return seconds == 0 ? "\(minutes)m" : "\(minutes)m\(seconds)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
