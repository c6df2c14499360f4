import Foundation
import MedicRemediation

/// Reads runbook test files the way `RunbookLoader` reads runbooks: unknown fields are errors
/// with a "did you mean", every problem is reported at `file:line:col`, and file references
/// are resolved against the test file's own folder (promtool's rule).
public enum RunbookTestLoader {
    static let fileFields = ["runbooks", "eval_time", "policy", "tests"]
    static let testFields = ["name", "eval_time", "policy", "objects", "metrics", "input_series", "interval",
                             "expect_findings", "expect_no_findings", "expect_unknown"]

    /// Every `*.yaml`/`*.yml` file in the given files and directories (directories not recursed), sorted.
    public static func testFiles(in paths: [String]) throws(LoadError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw LoadError(file: path, line: 0, column: 0, field: "", message: "no such file or directory; expected \(YAMLFile.runbookTestFile), or a directory of them")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    public static func loadFile(_ path: String) throws(LoadError) -> RunbookTestFile {
        try parse(YAMLFile.read(path, expected: YAMLFile.runbookTestFile), file: path)
    }

    public static func parse(_ text: String, file: String) throws(LoadError) -> RunbookTestFile {
        let directory = (file as NSString).deletingLastPathComponent
        let top = try YAMLNode.parse(text, file: file).mapping(allowed: fileFields)
        let runbooksNode = try top.required("runbooks")
        let runbooks = try runbooksNode.list().map { node throws(LoadError) in
            try existingFile(node, relativeTo: directory)
        }
        guard !runbooks.isEmpty else { throw runbooksNode.error("list at least one runbook file") }
        let defaultTime = try top["eval_time"].map { node throws(LoadError) in try instant(node) }
        let policy = try top["policy"].map { node throws(LoadError) in try existingFile(node, relativeTo: directory) }
        let testsNode = try top.required("tests")
        var tests: [RunbookTest] = []
        for node in try testsNode.list() {
            let test = try self.test(node, directory: directory, defaultTime: defaultTime, defaultPolicy: policy)
            if tests.contains(where: { $0.name == test.name }) {
                throw node.error("test name '\(test.name)' is used twice in this file")
            }
            tests.append(test)
        }
        guard !tests.isEmpty else { throw testsNode.error("list at least one test") }
        return RunbookTestFile(file: file, runbooks: runbooks, policy: policy, tests: tests)
    }

    private static func test(_ node: YAMLNode, directory: String, defaultTime: Date?,
                             defaultPolicy: String?) throws(LoadError) -> RunbookTest {
        let fields = try node.mapping(allowed: testFields)
        let name = try fields.required("name").string()
        let policy = try fields["policy"].map { node throws(LoadError) in try existingFile(node, relativeTo: directory) }
            ?? defaultPolicy
        guard let evalTime = try fields["eval_time"].map({ node throws(LoadError) in try instant(node) }) ?? defaultTime
        else { throw fields.node.error("eval_time is missing (set it on the test or at the top of the file)") }

        var snapshots: [String] = []
        var manifests: [[String: Any]] = []
        for item in try fields["objects"]?.list() ?? [] {
            let loose = try item.mapping(allowed: nil)
            if let snapshot = loose["snapshot"] {
                _ = try item.mapping(allowed: ["snapshot"])
                snapshots.append(try existingFile(snapshot, relativeTo: directory))
                continue
            }
            let kind = try loose.required("kind").oneOf(ManifestDefaults.kinds)
            guard try loose.required("metadata").mapping(allowed: nil)["name"] != nil || kind == "Event" else {
                throw try loose.required("metadata").error("metadata.name is required")
            }
            guard var object = try jsonValue(item) as? [String: Any] else { throw item.error("expected a mapping") }
            ManifestDefaults.apply(&object, kind: kind, evalTime: evalTime, index: manifests.count)
            manifests.append(object)
        }
        let inline: Data? = manifests.isEmpty ? nil
            : try? JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "List", "items": manifests],
                                          options: [.sortedKeys])

        let interval = try fields["interval"]?.duration()
        var metrics: [RunbookTest.MetricInput] = []
        for item in try fields["metrics"]?.list() ?? [] {
            let entry = try item.mapping(allowed: ["condition", "labels", "values", "interval"])
            metrics.append(.init(condition: try entry.required("condition").string(),
                                 labels: try labels(entry.required("labels")),
                                 points: try points(entry.required("values")),
                                 interval: try entry["interval"]?.duration() ?? interval, line: item.line))
        }
        var inputSeries: [RunbookTest.InputSeries] = []
        for item in try fields["input_series"]?.list() ?? [] {
            let entry = try item.mapping(allowed: ["series", "values"])
            let selector = try entry.required("series")
            let text = try selector.string()
            let parsed: (String, [String: String])
            do throws(SeriesSelector.SyntaxError) {
                parsed = try SeriesSelector.parse(text)
            } catch {
                throw selector.error(error.description)
            }
            inputSeries.append(.init(metric: parsed.0, labels: parsed.1, points: try points(entry.required("values")),
                                     interval: interval ?? ManifestDefaults.inputSeriesInterval))
        }

        var findings: [RunbookTest.ExpectedFinding]?
        switch (fields["expect_findings"], fields["expect_no_findings"]) {
        case (let list?, nil):
            findings = try list.list().map { node throws(LoadError) in try expectedFinding(node, hasPolicy: policy != nil) }
            if findings!.isEmpty { throw list.error("an empty list expects nothing: write expect_no_findings: true") }
        case (nil, let flag?):
            guard try flag.bool() else { throw flag.error("write expect_findings instead of expect_no_findings: false") }
            findings = []
        case (_?, _?):
            throw fields.node.error("a test has expect_findings or expect_no_findings, not both")
        case (nil, nil):
            findings = nil
        }
        let unknown = try fields["expect_unknown"].map { node throws(LoadError) in
            try node.list().map { node throws(LoadError) in try expectedUnknown(node) }
        }
        guard findings != nil || unknown != nil else {
            throw fields.node.error("a test needs expect_findings, expect_no_findings or expect_unknown")
        }
        return RunbookTest(name: name, file: node.file, line: node.line, evalTime: evalTime, snapshots: snapshots,
                           inlineObjects: inline, metrics: metrics, inputSeries: inputSeries, policy: policy,
                           expectation: .init(findings: findings, unknown: unknown))
    }

    private static func expectedFinding(_ node: YAMLNode, hasPolicy: Bool) throws(LoadError) -> RunbookTest.ExpectedFinding {
        let fields = try node.mapping(allowed: ["runbook", "target", "severity", "summary", "summary_contains",
                                                "evidence_contains", "actions"])
        let severity = try fields["severity"].map { node throws(LoadError) in
            Runbook.Severity(rawValue: try node.oneOf(Runbook.Severity.allCases.map(\.rawValue)))!
        }
        let actions = try fields["actions"].map { node throws(LoadError) in
            try node.list().map { node throws(LoadError) in
                let action = try node.mapping(allowed: ["type", "command", "command_contains", "message_contains",
                                                        "decision", "reason_contains"])
                if !hasPolicy, let policyField = action["decision"] ?? action["reason_contains"] {
                    throw policyField.error("a decision needs a policy to decide it: add policy: FILE (e.g. "
                        + "../../policies/production.yaml) to the test or the top of the file")
                }
                return RunbookTest.ExpectedAction(
                    type: try action.required("type").oneOf(ActionKind.allCases.map(\.rawValue)),
                    command: try action["command"]?.string(),
                    commandContains: try strings(action["command_contains"]),
                    messageContains: try strings(action["message_contains"]),
                    decision: try action["decision"].map { node throws(LoadError) in try decision(node) },
                    reasonContains: try strings(action["reason_contains"]))
            }
        }
        return .init(runbook: try fields["runbook"]?.string(), target: try fields["target"].map(target),
                     severity: severity, summary: try fields["summary"]?.string(),
                     summaryContains: try strings(fields["summary_contains"]),
                     evidenceContains: try strings(fields["evidence_contains"]), actions: actions, line: node.line)
    }

    private static func expectedUnknown(_ node: YAMLNode) throws(LoadError) -> RunbookTest.ExpectedUnknown {
        let fields = try node.mapping(allowed: ["runbook", "target", "conditions"])
        return .init(runbook: try fields["runbook"]?.string(), target: try fields["target"].map(target),
                     conditions: try strings(fields["conditions"]), line: node.line)
    }

    /// `allowed`, `capped`, `needs-approval`, `denied`, or the gate's own `allow` and `deny`.
    private static func decision(_ node: YAMLNode) throws(LoadError) -> RunbookTest.ExpectedDecision {
        let words = RunbookTest.ExpectedDecision.allCases.map(\.rawValue)
        if let alias = RunbookTest.ExpectedDecision.aliases[try node.string()] { return alias }
        return RunbookTest.ExpectedDecision(rawValue: try node.oneOf(words))!
    }

    static let targetKinds = ["Deployment", "StatefulSet", "DaemonSet", "Pod", "Service"]

    /// `Deployment production/cart` or `{kind, namespace, name}`.
    private static func target(_ node: YAMLNode) throws(LoadError) -> RunbookTest.TargetPattern {
        if case .mapping = node.content {
            let fields = try node.mapping(allowed: ["kind", "namespace", "name"])
            return .init(kind: try fields["kind"]?.oneOf(targetKinds), namespace: try fields["namespace"]?.string(),
                         name: try fields.required("name").string())
        }
        let words = try node.string().split(separator: " ").map(String.init)
        guard (1...2).contains(words.count) else {
            throw node.error("expected 'Kind namespace/name', 'namespace/name' or 'name'")
        }
        let kind = words.count == 2 ? words[0] : nil
        if let kind, !targetKinds.contains(kind) {
            throw node.error("'\(kind)' is not one of \(targetKinds.joined(separator: ", "))")
        }
        let parts = words.last!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw node.error("expected 'Kind namespace/name', 'namespace/name' or 'name'")
        }
        return .init(kind: kind, namespace: parts.count == 2 ? parts[0] : nil, name: parts.last!)
    }

    private static func strings(_ node: YAMLNode?) throws(LoadError) -> [String] {
        guard let node else { return [] }
        if case .scalar = node.content { return [try node.string()] }
        return try node.list().map { node throws(LoadError) in try node.string() }
    }

    private static func labels(_ node: YAMLNode) throws(LoadError) -> [String: String] {
        let mapping = try node.mapping(allowed: nil)
        var labels: [String: String] = [:]
        for key in mapping.keys { labels[key] = try mapping[key]!.string() }
        return labels
    }

    private static func points(_ node: YAMLNode) throws(LoadError) -> [SeriesNotation.Point] {
        let text = try node.string()
        let points: [SeriesNotation.Point]
        do throws(SeriesNotation.SyntaxError) {
            points = try SeriesNotation.expand(text)
        } catch {
            throw node.error(error.description)
        }
        guard !points.isEmpty else { throw node.error("no values") }
        return points
    }

    private static func instant(_ node: YAMLNode) throws(LoadError) -> Date {
        let text = try node.string()
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else {
            throw node.error("expected an RFC 3339 time such as 2026-11-20T03:00:00Z, found '\(text)'")
        }
        return date
    }

    private static func existingFile(_ node: YAMLNode, relativeTo directory: String) throws(LoadError) -> String {
        let written = try node.string()
        let path = written.hasPrefix("/") ? written : (directory as NSString).appendingPathComponent(written)
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: standardized) else {
            throw node.error("no file '\(written)' (paths are relative to the test file's folder)")
        }
        return standardized
    }

    /// YAML as JSON, by YAML 1.2's core schema: plain `true`/`false`, `null`/`~` and numbers are
    /// typed; anything quoted is a string, so write `"8080"` where Kubernetes wants a string.
    /// A YAML node as the JSON value Kubernetes would read (plain scalars typed as YAML 1.2 core does).
    public static func jsonValue(_ node: YAMLNode) throws(LoadError) -> Any {
        switch node.content {
        case .scalar(let text, .plain):
            switch text {
            case "true": return true
            case "false": return false
            case "null", "~", "": return NSNull()
            default:
                if let number = Int(text) { return number }
                if text.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#,
                              options: .regularExpression) != nil, let number = Double(text) { return number }
                return text
            }
        case .scalar(let text, _):
            return text
        case .sequence(let items):
            var values: [Any] = []
            for item in items { values.append(try jsonValue(item)) }
            return values
        case .mapping:
            let mapping = try node.mapping(allowed: nil)
            var values: [String: Any] = [:]
            for key in mapping.keys { values[key] = try jsonValue(mapping[key]!) }
            return values
        }
    }
}
