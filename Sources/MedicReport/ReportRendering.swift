import Foundation
import MedicKube

/// The two renderings of a `ReportDocument`. Inline text uses two marks only, `code` and
/// **bold**, so the Markdown is the source and the HTML converts just those.
extension ReportDocument {
    public func markdown() -> String {
        var out = "# \(title)\n"
        for block in blocks {
            out += "\n"
            switch block {
            case .heading(let text): out += "## \(text)\n"
            case .paragraph(let text): out += "\(text)\n"
            case .bullets(let items): out += items.map { "- \($0)\n" }.joined()
            case .table(let header, let rows):
                out += "| " + header.joined(separator: " | ") + " |\n"
                out += "|" + String(repeating: " --- |", count: header.count) + "\n"
                for row in rows { out += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            case .code(let text): out += "```yaml\n\(text)```\n"
            case .chart(let chart, let file):
                out += "### \(chart.title)\n\n"
                switch chart.content {
                case .chart: out += "![\(chart.title)](\(file))\n"
                case .unavailable(let reason): out += "> \(reason)\n"
                }
            }
        }
        return out
    }

    /// One file with everything inline: the style, the charts as SVG, no script, no fetch.
    public func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(Self.escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 980px; margin: 24px auto; padding: 0 16px; color: #111827; line-height: 1.45; }
        h1 { font-size: 1.5em; border-bottom: 2px solid #111827; padding-bottom: 6px; }
        h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #d1d5db; }
        h3 { font-size: 1em; margin-bottom: 4px; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
        th, td { border: 1px solid #d1d5db; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f3f4f6; }
        code { font-family: ui-monospace, monospace; background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
        pre { background: #f3f4f6; padding: 10px; overflow-x: auto; font-size: 0.85em; }
        .answer { font-size: 1.1em; background: #fef3c7; border-left: 4px solid #d97706; padding: 10px 14px; }
        .unavailable { background: #fee2e2; border-left: 4px solid #dc2626; padding: 8px 12px; }
        svg { max-width: 100%; height: auto; }
        </style>
        </head>
        <body>
        <h1>\(Self.escape(title))</h1>

        """
        for (index, block) in blocks.enumerated() {
            switch block {
            case .heading(let text): out += "<h2>\(Self.inline(text))</h2>\n"
            case .paragraph(let text):
                out += index == 0 ? "<p class=\"answer\">\(Self.inline(text))</p>\n" : "<p>\(Self.inline(text))</p>\n"
            case .bullets(let items): out += "<ul>\n" + items.map { "<li>\(Self.inline($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let header, let rows):
                out += "<table>\n<tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>\n"
                for row in rows { out += "<tr>" + row.map { "<td>\(Self.inline($0))</td>" }.joined() + "</tr>\n" }
                out += "</table>\n"
            case .code(let text): out += "<pre><code>\(Self.escape(text))</code></pre>\n"
            case .chart(let chart, _):
                out += "<h3>\(Self.escape(chart.title))</h3>\n"
                switch chart.content {
                case .chart(let line): out += "<figure>\n\(line.svg())</figure>\n"
                case .unavailable(let reason): out += "<p class=\"unavailable\">\(Self.inline(reason))</p>\n"
                }
            }
        }
        return out + "</body>\n</html>\n"
    }

    static func escape(_ text: String) -> String { LineChart.escape(text) }

    /// Escaped, then `code` and **bold** turned into elements.
    static func inline(_ text: String) -> String {
        var out = ""
        var code = false, bold = false
        var rest = Substring(escape(text))
        while let first = rest.first {
            if first == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
                rest = rest.dropFirst()
            } else if !code, rest.hasPrefix(Redaction.mask) {
                // The mask of a secret, not two empty bold runs.
                out += Redaction.mask
                rest = rest.dropFirst(Redaction.mask.count)
            } else if !code, rest.hasPrefix("**") {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                rest = rest.dropFirst(2)
            } else {
                out.append(first)
                rest = rest.dropFirst()
            }
        }
        if code { out += "</code>" }
        if bold { out += "</strong>" }
        return out
    }
}
