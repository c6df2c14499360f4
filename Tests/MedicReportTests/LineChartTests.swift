import Foundation
import Testing
@testable import MedicReport

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct LineChartTests {
    /// Counts elements by name, and fails on XML that does not parse.
    final class Elements: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var classes: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
            if let value = attributes["class"] { classes.append(value) }
        }
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func chart(markers: Int = 2) -> LineChart {
        let points = (0..<30).map { (time: start.addingTimeInterval(Double($0) * 10), value: $0 < 15 ? 0.8 : 0.02) }
        return LineChart(
            title: "Error rate <5xx> & more", unit: .ratio,
            lines: [LineChart.Line(label: "shop/api", points: points),
                    LineChart.Line(label: "shop/db", points: points.map { ($0.time, $0.value / 2) }),
                    LineChart.Line(label: "shop/empty", points: [])],
            markers: (0..<markers).map { LineChart.Marker(time: start.addingTimeInterval(150 + Double($0) * 20), label: "restart \($0)") },
            start: start, end: start.addingTimeInterval(300))
    }

    @Test func svgIsWellFormedWithOnePathPerSeriesAndAMarkerPerAction() throws {
        let svg = Self.chart().svg()
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(elements.counts["svg"] == 1)
        #expect(elements.counts["path"] == 3)
        #expect(elements.classes.filter { $0 == "series" }.count == 3)
        #expect(elements.classes.filter { $0 == "marker" }.count == 2)
        #expect(svg.contains("Error rate &lt;5xx&gt; &amp; more"))
        #expect(svg.contains(">80%<") || svg.contains(">100%<"))
        #expect(svg.contains(">time (UTC)<"))
    }

    @Test func markersOutsideTheWindowAreLeftOut() {
        var chart = Self.chart(markers: 1)
        chart.markers.append(LineChart.Marker(time: Self.start.addingTimeInterval(-60), label: "before"))
        #expect(chart.svg().components(separatedBy: "class=\"marker\"").count - 1 == 1)
    }

    @Test func yAxisEndsOnARoundNumber() {
        #expect(LineChart.niceCeiling(0.73) == 1)
        #expect(LineChart.niceCeiling(2.3) == 5)
        #expect(LineChart.niceCeiling(0.012) == 0.02)
        #expect(LineChart.niceCeiling(0) == 1)
    }
}
