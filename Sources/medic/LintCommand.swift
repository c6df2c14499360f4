import ArgumentParser
import Foundation
import MedicKube
import MedicAuthoring
import MedicRunbook

/// `medic lint`: everything that can be wrong in a runbook without running it, reported at
/// `file:line:col`, so an author fixes rules at their desk and not during an incident.
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check runbooks and policies: schema, CEL, field references, PromQL syntax, tests, denied actions.",
        // Written out, wrapped at 80 columns (the generated one is a single line);
        // HelpTests checks it names every option.
        usage: """
            medic lint [<path> ...] [--runbooks <dir> ...] [--no-builtin-runbooks]
              [--policy <file>]
            """,
        discussion: """
        Checks each runbook file (default: the built-in runbooks and every --runbooks DIR):
          - the format: unknown fields with did-you-mean suggestions, as loading does;
          - CEL syntax, unknown functions, variables read where they do not exist;
          - fields the enriched view does not have (c.lastTerminaton), also through
            macro variables, list elements and let values;
          - PromQL syntax, by promtool (a warning when promtool is missing);
          - test files in <dir>/tests that do not load, misspelt keys of their
            inline objects, and runbooks no test exercises (warning);
          - a runbook id defined in two files.

        A file with `kind: Policy` is loaded as a policy instead, and what loading reports is an \
        error. With --policy FILE, each runbook action that policy denies whatever the \
        namespace, target and time (its action type, or the env var names it sets) is a warning.

        Output: one `file:line:col: error|warning: message` line per problem, then a count.

        Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 a path cannot be read.
        """
    )

    @Argument(help: ArgumentHelp(
        "Runbook or policy files, or directories of them (default: the built-in runbooks and every --runbooks DIR).",
        valueName: "path"))
    var paths: [String] = []

    @OptionGroup var runbookSources: RunbookOptions

    @Option(name: .long, help: ArgumentHelp("Warn about runbook actions this policy always denies.", valueName: "file"))
    var policy: String?

    func run() async throws {
        var files: [String] = []
        var testDirectories: [String] = []
        var read: Set<String> = []
        let roots = paths.isEmpty ? try runbookSources.directories().map(\.path) : paths
        for path in roots where read.insert(URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path).inserted {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(description: "medic: \(path): no such file or directory; expected \(YAMLFile.runbookFile) "
                    + "or a policy, or a directory of them")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
                testDirectories.append((path as NSString).appendingPathComponent("tests"))
            } else {
                files.append(path)
                testDirectories.append(((path as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent("tests"))
            }
        }
        var diagnostics: [LintDiagnostic] = []
        var loaded: [Linter.Loaded] = []
        var runbookCount = 0, policyCount = 0
        for file in files {
            if LintPolicy.isPolicy(file: file) {
                policyCount += 1
                diagnostics += LintPolicy.lint(file: file).1
                continue
            }
            runbookCount += 1
            let (runbook, found) = Linter.lint(file: file)
            diagnostics += found
            if let runbook { loaded.append(runbook) }
        }
        diagnostics += Linter.duplicateIDs(loaded)
        diagnostics += LintPromQL.check(loaded)
        diagnostics += LintTests.check(loaded, testDirectories: testDirectories)
        if let policy {
            guard FileManager.default.fileExists(atPath: policy) else {
                throw InputError(description: "medic: --policy \(policy): no such file; expected \(YAMLFile.policyFile)")
            }
            let (judge, problems) = LintPolicy.lint(file: policy)
            diagnostics += problems
            if let judge { diagnostics += LintPolicy.alwaysDenied(loaded, by: judge) }
        }
        for diagnostic in diagnostics.sorted() { print(TerminalText.escaped("\(diagnostic)")) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        var linted: [String] = []
        if runbookCount > 0 || policyCount == 0 { linted.append("\(runbookCount) runbook\(runbookCount == 1 ? "" : "s")") }
        if policyCount > 0 { linted.append("\(policyCount) polic\(policyCount == 1 ? "y" : "ies")") }
        print("\(linted.joined(separator: ", ")): \(errors) error\(errors == 1 ? "" : "s"), "
            + "\(warnings) warning\(warnings == 1 ? "" : "s")")
        if errors > 0 { throw ExitCode(1) }
    }
}
