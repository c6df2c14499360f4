import Foundation

/// Go's duration notation (`1h15m`, `250ms`, `1.5s`), as scenario files and kubectl use it.
enum GoDuration {
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return 0 }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total
    }

    /// Go's `Duration.String` in whole seconds: `40s`, `5m0s`, `1h15m0s`, as the kubelet's
    /// back-off message and kubectl print it.
    static func text(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        let (hours, minutes, rest) = (whole / 3600, whole % 3600 / 60, whole % 60)
        if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
        return minutes > 0 ? "\(minutes)m\(rest)s" : "\(rest)s"
    }
}
