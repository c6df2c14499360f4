import Foundation

/// Durations as runbook authors write them in CEL (`duration("1h30m")`) and in `for:` /
/// `step:` fields: Go's syntax, plus Prometheus' `d` and `w` units. One parser and one
/// printer for both, so a window means the same thing everywhere. Timestamps use
/// MedicKube's `RFC3339`, the parser snapshots are read with.
public enum CELTime {
    private static let secondsPerUnit: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800),
    ]

    /// Parses Go duration syntax: an optional sign, then one or more decimal numbers each
    /// followed by a unit (`w`, `d`, `h`, `m`, `s`, `ms`, `us`, `ns`), e.g. `1h30m`, `-1.5s`, `250ms`.
    /// A bare `0` is the only number accepted without a unit.
    public static func parseDuration(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" || rest.first == "+" {
            sign = rest.first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = secondsPerUnit.first(where: { $0.suffix == unitText }) else { return nil }
            total += value * unit.seconds
            rest = rest.dropFirst(unitText.count)
        }
        return sign * total
    }

    /// Go-like compact form without zero components: `5m`, `1h30m`, `1m30s`, `500ms`, `0s`.
    public static func format(duration seconds: Double) -> String {
        if seconds.isNaN { return "NaN" }
        if seconds.isInfinite { return seconds < 0 ? "-Infinity" : "Infinity" }
        if seconds == 0 { return "0s" }
        if seconds < 0 { return "-" + format(duration: -seconds) }
        if seconds < 1 {
            return CELValue.format(double: roundToNanoseconds(seconds * 1000)) + "ms"
        }
        let hours = (seconds / 3600).rounded(.down)
        let minutes = ((seconds - hours * 3600) / 60).rounded(.down)
        let rest = roundToNanoseconds(seconds - hours * 3600 - minutes * 60)
        var out = ""
        if hours > 0 { out += CELValue.format(double: hours) + "h" }
        if minutes > 0 { out += CELValue.format(double: minutes) + "m" }
        if rest > 0 { out += CELValue.format(double: rest) + "s" }
        return out.isEmpty ? "0s" : out
    }

    private static func roundToNanoseconds(_ value: Double) -> Double {
        (value * 1e9).rounded() / 1e9
    }
}
