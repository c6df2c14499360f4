import Foundation
import MedicProm
import Testing
@testable import MedicReport

/// The written files checked by the tools a user has: promtool for the rules, headless
/// Chromium for the HTML (screenshot, DOM, console).
@Suite(.serialized) struct ReportFilesTests {
    static func written() async throws -> (ReportWriter.Written, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-report-\(UUID().uuidString)")
        let records = try ReportFixture.poolLeak()
        let report = IncidentReport(records: records)
        // One real chart beside the "no Prometheus" ones, so the DOM holds an svg.
        let detected = report.phase(.detected)!.time!
        let line = LineChart(title: "Error rate", unit: .ratio,
                             lines: [.init(label: "inventory/stock-service",
                                           points: (0..<20).map { (detected.addingTimeInterval(Double($0 - 10) * 10), $0 < 10 ? 1.0 : 0.0) })],
                             markers: [.init(time: detected, label: "rollout-restart")],
                             start: detected.addingTimeInterval(-100), end: detected.addingTimeInterval(100))
        var charts = await ReportChart.fetch(for: report, client: nil)
        charts[0].content = .chart(line)
        return (try ReportWriter(directory: directory).write(report, charts: charts), directory)
    }

    @Test func promtoolAcceptsTheSuggestedRules() async throws {
        let (written, directory) = try await Self.written()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = try String(contentsOf: written.rules, encoding: .utf8)
        #expect(rules.contains("alert: ConnectionPoolSaturated"))
        let promtool = try #require(BoundedProcess.find("promtool"), "promtool is installed by scripts/install-deps.sh")
        let result = try BoundedProcess.run(promtool, ["check", "rules", written.rules.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS: 4 rules found"))
        #expect(try String(contentsOf: written.markdown, encoding: .utf8).contains(rules))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("chart-error-rate.svg").path))
    }

    @Test func theHTMLNeedsNothingFromOutside() async throws {
        let (written, directory) = try await Self.written()
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = try String(contentsOf: written.html, encoding: .utf8)
        for outside in ["<script", "<link", "src=\"http", "url(", "@import", "@font-face"] {
            #expect(!html.contains(outside), "report.html contains \(outside)")
        }
        #expect(html.contains("<svg"))
    }

    @Test func chromiumRendersTheReportWithItsChartsAndNoConsoleErrors() async throws {
        let (written, directory) = try await Self.written()
        defer { try? FileManager.default.removeItem(at: directory) }
        let chromium = try #require(BoundedProcess.find("chromium", "chromium-browser"),
                                    "chromium is installed by scripts/install-deps.sh")
        let profile = directory.appendingPathComponent("profile").path
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--window-size=1200,2000"]
        let png = directory.appendingPathComponent("report.png")
        let shot = try BoundedProcess.run(chromium, common + ["--screenshot=\(png.path)", written.html.absoluteString])
        #expect(shot.status == 0, "\(shot.output)")
        let image = try Data(contentsOf: png)
        #expect(image.count > 20_000, "a blank page compresses far below this")
        #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))

        let dom = try BoundedProcess.run(chromium, common + ["--enable-logging=stderr", "--v=0", "--dump-dom",
                                                             written.html.absoluteString])
        #expect(dom.status == 0)
        #expect(dom.output.components(separatedBy: "<svg").count - 1 == 1)
        #expect(dom.output.contains("class=\"series\""))
        #expect(dom.output.contains("What broke"))
        // Chromium logs a page's console messages as "CONSOLE" lines at this verbosity.
        let console = dom.output.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(console.isEmpty, "\(console)")
    }
}
