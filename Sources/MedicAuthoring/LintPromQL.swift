import Foundation
import MedicProcess
import MedicRunbook

/// PromQL syntax checks for `medic lint`, done by promtool itself (one `check rules` run for
/// every metric condition of every file) so medic never disagrees with Prometheus' parser.
public enum LintPromQL {
    public static func check(_ runbooks: [Linter.Loaded]) -> [LintDiagnostic] {
        var conditions: [(Linter.Loaded, Int, Runbook.MetricCondition)] = []
        for loaded in runbooks {
            for (index, condition) in loaded.runbook.conditions.enumerated() {
                if case .metric(let metric) = condition { conditions.append((loaded, index, metric)) }
            }
        }
        guard !conditions.isEmpty else { return [] }
        guard let promtool = executable("promtool") else {
            let (loaded, index, _) = conditions[0]
            return [diagnostic(loaded, index, .warning, "promtool is not on PATH, so PromQL was not checked")]
        }
        var rules = "groups:\n"
        for (number, (_, _, metric)) in conditions.enumerated() {
            let quoted = metric.promql.replacingOccurrences(of: "'", with: "''")
            rules += "  - name: \"\(number)\"\n    rules:\n      - record: medic_lint\n        expr: '\(quoted)'\n"
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-lint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rules.yml")
        let output: String
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try rules.write(to: file, atomically: true, encoding: .utf8)
            output = try run(promtool, ["check", "rules", file.path], in: directory)
        } catch {
            let (loaded, index, _) = conditions[0]
            return [diagnostic(loaded, index, .warning, "promtool did not run (\(error)), so PromQL was not checked")]
        }
        var diagnostics: [LintDiagnostic] = []
        for line in output.split(separator: "\n") {
            guard let group = line.range(of: #"group "(\d+)""#, options: .regularExpression),
                  let number = Int(line[group].dropFirst(7).dropLast()), number < conditions.count else { continue }
            let (loaded, index, metric) = conditions[number]
            let message = line.range(of: "could not parse expression: ").map { String(line[$0.upperBound...]) }
                ?? String(line[group.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            diagnostics.append(diagnostic(loaded, index, .error, "detect[\(index)].promql (\(metric.id)): \(message)"))
        }
        return diagnostics
    }

    private static func diagnostic(_ loaded: Linter.Loaded, _ index: Int, _ severity: LintDiagnostic.Severity,
                                   _ message: String) -> LintDiagnostic {
        let node = loaded.nodes["detect[\(index)].promql"]
        return LintDiagnostic(file: loaded.runbook.file, line: node?.line ?? 1, column: node?.column ?? 1,
                              severity: severity, message: message)
    }

    private static func executable(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs promtool with a 30 s limit; what it prints on stdout and stderr, together.
    private static func run(_ path: String, _ arguments: [String], in directory: URL) throws(ChildProcess.SpawnFailure) -> String {
        switch ChildProcess.runBlocking(path, arguments, directory: directory.path, stderr: .standardOutput, timeout: .seconds(30)) {
        case .exited(_, let output): String(decoding: output, as: UTF8.self)
        case .timedOut: throw ChildProcess.SpawnFailure(reason: "promtool did not finish within 30 s")
        case .outputTooLarge: throw ChildProcess.SpawnFailure(reason: "promtool printed more than 64 MiB")
        case .failedToStart(let reason): throw ChildProcess.SpawnFailure(reason: reason)
        }
    }
}
