import Foundation

/// Durations as medic's users write them, parsed and printed in one place: Go's notation
/// (`1h30m`, `-1.5s`, `250ms`) plus Prometheus' `d` and `w` units. Runbook windows and CEL's
/// `duration()` (through `CELTime`), policy cooldowns and rate-limit windows, runbook-test
/// intervals, `medic run --interval` and KubeSim scenario times all read them with
/// `seconds(_:)`, so a window means the same thing everywhere.
public enum GoDuration {
    private static let secondsPerUnit: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800),
    ]

    /// Parses an optional sign, then one or more decimal numbers each followed by a unit
    /// (`w`, `d`, `h`, `m`, `s`, `ms`, `us`, `ns`), e.g. `1h30m`, `-1.5s`, `250ms`. A bare `0`
    /// is the only number accepted without a unit. nil when `text` is not a duration.
    public static func seconds(_ text: String) -> Double? {
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

    /// Compact, without zero components, as medic prints windows: `5m`, `1h30m`, `1m30s`,
    /// `500ms`, `0s`.
    public static func compact(_ seconds: Double) -> String {
        if seconds.isNaN { return "NaN" }
        if seconds.isInfinite { return seconds < 0 ? "-Infinity" : "Infinity" }
        if seconds == 0 { return "0s" }
        if seconds < 0 { return "-" + compact(-seconds) }
        if seconds < 1 {
            return number(roundToNanoseconds(seconds * 1000)) + "ms"
        }
        let hours = (seconds / 3600).rounded(.down)
        let minutes = ((seconds - hours * 3600) / 60).rounded(.down)
        let rest = roundToNanoseconds(seconds - hours * 3600 - minutes * 60)
        var out = ""
        if hours > 0 { out += number(hours) + "h" }
        if minutes > 0 { out += number(minutes) + "m" }
        if rest > 0 { out += number(rest) + "s" }
        return out.isEmpty ? "0s" : out
    }

    /// Go's `Duration.String` in whole seconds: `40s`, `5m0s`, `1h15m0s`, as the kubelet's
    /// back-off message and kubectl print it.
    public static func text(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        let (hours, minutes, rest) = (whole / 3600, whole % 3600 / 60, whole % 60)
        if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
        return minutes > 0 ? "\(minutes)m\(rest)s" : "\(rest)s"
    }

    /// `2.5`, and `3` rather than `3.0`.
    private static func number(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    private static func roundToNanoseconds(_ value: Double) -> Double {
        (value * 1e9).rounded() / 1e9
    }
}
