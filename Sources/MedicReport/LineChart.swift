import Foundation

/// A line chart as an SVG string, drawn by medic so a report needs nothing from the network:
/// axes with ticks and labels, one path per series, and a dashed vertical marker at each
/// action medic took, so "did it get better after that" is one glance.
public struct LineChart: Sendable, Equatable {
    public enum Unit: Sendable, Equatable {
        case ratio, seconds, count

        func format(_ value: Double) -> String {
            switch self {
            case .ratio: String(format: "%.0f%%", value * 100)
            case .seconds: value < 1 ? String(format: "%.0f ms", value * 1000) : String(format: "%.1f s", value)
            case .count: value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.1f", value)
            }
        }
    }

    public struct Line: Sendable, Equatable {
        public var label: String
        public var points: [(time: Date, value: Double)]

        public init(label: String, points: [(time: Date, value: Double)]) {
            self.label = label
            self.points = points
        }

        public static func == (lhs: Line, rhs: Line) -> Bool {
            lhs.label == rhs.label && lhs.points.map(\.time) == rhs.points.map(\.time)
                && lhs.points.map(\.value) == rhs.points.map(\.value)
        }
    }

    public struct Marker: Sendable, Equatable {
        public var time: Date
        public var label: String

        public init(time: Date, label: String) {
            self.time = time
            self.label = label
        }
    }

    public var title: String
    public var unit: Unit
    public var lines: [Line]
    public var markers: [Marker]
    public var start: Date
    public var end: Date

    public init(title: String, unit: Unit, lines: [Line], markers: [Marker], start: Date, end: Date) {
        self.title = title
        self.unit = unit
        self.lines = lines
        self.markers = markers
        self.start = start
        self.end = end
    }

    static let width = 720.0, height = 260.0
    static let left = 64.0, right = 16.0, top = 30.0, bottom = 44.0
    static let axis = "#6b7280", grid = "#e5e7eb", ink = "#111827"
    static let palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c"]

    public func svg() -> String {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let span = max(end.timeIntervalSince(start), 1)
        let values = lines.flatMap { $0.points.map(\.value) }.filter(\.isFinite)
        let maximum = Self.niceCeiling(max(values.max() ?? 0, unit == .ratio ? 0.01 : 0))
        let x = { (time: Date) in Self.left + plotWidth * time.timeIntervalSince(start) / span }
        let y = { (value: Double) in Self.top + plotHeight * (1 - value / maximum) }
        var out = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(Self.width)) \#(Int(Self.height))" width="\#(Int(Self.width))" height="\#(Int(Self.height))" role="img" aria-label="\#(Self.escape(title))" font-family="sans-serif" font-size="11">"#
        out += "\n<title>\(Self.escape(title))</title>\n"
        out += #"<text x="\#(Self.left)" y="18" font-size="13" font-weight="bold">\#(Self.escape(title))</text>"# + "\n"
        // Axes and ticks: five on each axis.
        out += #"<g class="axes" stroke="\#(Self.axis)" stroke-width="1">"#
        out += #"<line x1="\#(Self.left)" y1="\#(Self.top)" x2="\#(Self.left)" y2="\#(Self.top + plotHeight)"/>"#
        out += #"<line x1="\#(Self.left)" y1="\#(Self.top + plotHeight)" x2="\#(Self.left + plotWidth)" y2="\#(Self.top + plotHeight)"/>"#
        out += "</g>\n"
        for step in 0...4 {
            let value = maximum * Double(step) / 4, at = y(value)
            out += #"<line x1="\#(Self.left)" y1="\#(Self.f(at))" x2="\#(Self.left + plotWidth)" y2="\#(Self.f(at))" stroke="\#(Self.grid)"/>"#
            out += #"<text x="\#(Self.left - 6)" y="\#(Self.f(at + 4))" text-anchor="end">\#(unit.format(value))</text>"# + "\n"
            let time = start.addingTimeInterval(span * Double(step) / 4), tx = x(time)
            out += #"<text x="\#(Self.f(tx))" y="\#(Self.f(Self.top + plotHeight + 16))" text-anchor="middle">\#(Self.clock(time))</text>"# + "\n"
        }
        out += #"<text x="\#(Self.f(Self.left + plotWidth / 2))" y="\#(Self.f(Self.height - 6))" text-anchor="middle" fill="\#(Self.axis)">time (UTC)</text>"# + "\n"
        for (index, marker) in markers.enumerated() where marker.time >= start && marker.time <= end {
            let mx = Self.f(x(marker.time))
            out += #"<g class="marker"><line x1="\#(mx)" y1="\#(Self.top)" x2="\#(mx)" y2="\#(Self.top + plotHeight)" stroke="\#(Self.ink)" stroke-dasharray="4 3"/>"#
            out += #"<text x="\#(mx)" y="\#(Self.f(Self.top + 10 + Double(index % 3) * 12))" dx="3">\#(Self.escape(marker.label))</text></g>"# + "\n"
        }
        for (index, line) in lines.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let points = line.points.filter { $0.value.isFinite && $0.time >= start && $0.time <= end }
            let d = points.enumerated().map { i, point in
                "\(i == 0 ? "M" : "L")\(Self.f(x(point.time))),\(Self.f(y(point.value)))"
            }.joined(separator: " ")
            // A series without points still gets its path (a lone move), so the legend matches the paths.
            let path = d.isEmpty ? "M\(Self.left),\(Self.top + plotHeight)" : d
            out += #"<path class="series" d="\#(path)" fill="none" stroke="\#(color)" stroke-width="2"><title>\#(Self.escape(line.label))</title></path>"# + "\n"
            let lx = Self.width / 2 + Double(index) * 150
            out += #"<g class="legend"><rect x="\#(Self.f(lx))" y="12" width="10" height="3" fill="\#(color)"/><text x="\#(Self.f(lx + 14))" y="17" fill="\#(color)">\#(Self.escape(line.label))</text></g>"# + "\n"
        }
        out += "</svg>\n"
        return out
    }

    /// 1, 2 or 5 times a power of ten at or above `value`, so the y ticks are round numbers.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= value } ?? 10 * power
    }

    static func clock(_ time: Date) -> String {
        let stamp = ISO8601DateFormatter.string(from: time, timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withTime, .withColonSeparatorInTime])
        return String(stamp.prefix(5))
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
