import Foundation
import MedicProm

/// Writes a report directory: `report.md`, `report.html` (self-contained), `alert-rules.yaml`
/// and one SVG per drawn chart (the Markdown links them; the HTML has them inline).
public struct ReportWriter: Sendable {
    public struct Written: Sendable, Equatable {
        public var markdown: URL
        public var html: URL
        public var rules: URL
    }

    public static let rulesFile = "alert-rules.yaml"

    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func write(_ report: IncidentReport, charts: [ReportChart]) throws(ReportError) -> Written {
        let rules = AlertRules(report: report)
        let document = ReportDocument(report: report, charts: charts, rules: rules, rulesFile: Self.rulesFile)
        let written = Written(markdown: directory.appendingPathComponent("report.md"),
                              html: directory.appendingPathComponent("report.html"),
                              rules: directory.appendingPathComponent(Self.rulesFile))
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create the report directory \(directory.path): \(error.localizedDescription)")
        }
        var files = [(written.markdown, document.markdown()), (written.html, document.html()), (written.rules, rules.yaml())]
        for case .chart(let chart, let file) in document.blocks {
            if case .chart(let line) = chart.content { files.append((directory.appendingPathComponent(file), line.svg())) }
        }
        for (url, text) in files {
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw ReportError("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
        return written
    }
}

/// Why no report was written; the text names the file.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
