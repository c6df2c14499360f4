import Foundation

/// Every test's outcome, for the summary line and the JUnit file (promtool's layout: one
/// `testsuite` per file, one `testcase` per test, `failure` with the same text as the console).
public struct TestResults {
    public struct Entry {
        var file: String
        var test: String
        var outcome: TestRunner.Outcome
        var duration: Duration
    }

    private(set) var entries: [Entry] = []

    public init() {}

    public mutating func append(file: String, test: String, outcome: TestRunner.Outcome, duration: Duration) {
        entries.append(Entry(file: file, test: test, outcome: outcome, duration: duration))
    }

    public var passed: Int { entries.filter { if case .passed = $0.outcome { true } else { false } }.count }
    public var skipped: Int { entries.filter { if case .skipped = $0.outcome { true } else { false } }.count }
    public var failed: Int { entries.count - passed - skipped }

    public func junit() -> String {
        var files: [String] = []
        for entry in entries where !files.contains(entry.file) { files.append(entry.file) }
        var xml = [#"<?xml version="1.0" encoding="UTF-8"?>"#, "<testsuites>"]
        for file in files {
            let cases = entries.filter { $0.file == file }
            let failures = cases.filter { if case .failed = $0.outcome { true } else { false } }.count
            let errors = cases.filter { if case .error = $0.outcome { true } else { false } }.count
            let skipped = cases.filter { if case .skipped = $0.outcome { true } else { false } }.count
            xml.append(#"  <testsuite name="\#(escape(file))" tests="\#(cases.count)" failures="\#(failures)" "#
                + #"errors="\#(errors)" skipped="\#(skipped)">"#)
            for entry in cases {
                let seconds = Double(entry.duration.components.seconds)
                    + Double(entry.duration.components.attoseconds) / 1e18
                let head = #"    <testcase name="\#(escape(entry.test))" classname="\#(escape(file))" "#
                    + #"time="\#(String(format: "%.3f", seconds))""#
                switch entry.outcome {
                case .passed:
                    xml.append(head + "/>")
                case .failed(let text):
                    xml += [head + ">", #"      <failure message="expectations not met">\#(escape(text))</failure>"#,
                            "    </testcase>"]
                case .error(let text):
                    xml += [head + ">", #"      <error message="the test did not load">\#(escape(text))</error>"#,
                            "    </testcase>"]
                case .skipped(let text):
                    xml += [head + ">", #"      <skipped message="\#(escape(text))"/>"#, "    </testcase>"]
                }
            }
            xml.append("  </testsuite>")
        }
        xml.append("</testsuites>")
        return xml.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
