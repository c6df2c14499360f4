import ArgumentParser
import Foundation
import MedicKube
import MedicAuthoring
import MedicPolicy
import MedicRunbook

/// `medic test`: runs runbook test files, like `promtool test rules` runs alerting-rule tests.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run runbook tests (runbooks/tests/*.yaml) and show what differs from the expectation.",
        // Written out, wrapped at 80 columns (the generated one is a single line);
        // HelpTests checks it names every option.
        usage: """
            medic test [<path> ...] [--runbooks <dir> ...] [--no-builtin-runbooks]
              [--run <regex>] [--junit <file>] [--prometheus]
            """,
        discussion: """
        Each test gives a cluster state (snapshot files and/or inline objects), metric values \
        and an evaluation instant, and says which findings the runbooks must produce, with \
        their actions and commands. A failure shows what was expected, what came out, and \
        every condition's result for the targets concerned. The format is in docs/runbooks.md.

        A test that names a policy file (`policy:`) may expect each action's decision \
        (`decision: allowed|capped|needs-approval|denied`), judged by the policy gate at \
        eval_time on the test's own objects, with no action history.

        Tests with `input_series` (raw series in promtool notation) need --prometheus: medic \
        backfills them into a private Prometheus on 127.0.0.1, evaluates the runbooks' real \
        PromQL, and stops it. Without the flag those tests use their `metrics` values, or are \
        skipped when they have none.

        Exit codes: 0 every test passed, 1 a test failed, 2 a test, runbook or policy file did not load.
        """
    )

    @Argument(help: ArgumentHelp(
        "Test files or directories of them (default: the tests/ directory of each runbook directory).",
        valueName: "path"))
    var paths: [String] = []

    @OptionGroup var runbookSources: RunbookOptions

    @Option(name: .long, help: ArgumentHelp("Only run tests whose name matches this regular expression.",
                                            valueName: "regex"))
    var run: String?

    @Option(name: .long, help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Flag(name: .long, help: "Evaluate input_series with a real Prometheus (needs prometheus and promtool).")
    var prometheus = false

    func validate() throws {
        if let run, (try? NSRegularExpression(pattern: run)) == nil {
            throw ValidationError("--run '\(run)' is not a valid regular expression")
        }
    }

    func run() async throws {
        let filter = try run.map { try NSRegularExpression(pattern: $0) }
        var runner = TestRunner(prometheus: prometheus)
        var results = TestResults()
        var loadErrors = 0
        var roots = paths
        if roots.isEmpty {
            let directories = try runbookSources.directories()
            roots = directories.map { $0.appendingPathComponent("tests").path }
                .filter { FileManager.default.fileExists(atPath: $0) }
            guard !roots.isEmpty else {
                throw InputError(description: "medic: no tests/ directory in \(directories.map(\.path).joined(separator: ", ")); "
                    + "name the test files or directories to run")
            }
        }
        let files: [String]
        do {
            files = try RunbookTestLoader.testFiles(in: roots)
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        guard !files.isEmpty else {
            throw InputError(description: "medic: no test files (*.yaml) in \(roots.joined(separator: ", "))")
        }
        for path in files {
            let file: RunbookTestFile
            let runbooks: [Runbook]
            let policies: [String: Policy]
            do {
                file = try RunbookTestLoader.loadFile(path)
                runbooks = try runner.runbooks(of: file)
                policies = try runner.policies(of: file)
            } catch {
                print(TerminalText.escaped("ERROR \(error)"))
                loadErrors += 1
                continue
            }
            for test in file.tests {
                if let filter, filter.firstMatch(in: test.name, range: NSRange(test.name.startIndex..., in: test.name)) == nil {
                    continue
                }
                let started = ContinuousClock.now
                let outcome = await runner.run(test, runbooks: runbooks, policy: test.policy.flatMap { policies[$0] })
                results.append(file: path, test: test.name, outcome: outcome, duration: ContinuousClock.now - started)
                switch outcome {
                case .passed: break
                // Failures quote the test's logs and series: escaped, as everything from a file.
                case .failed(let text): print(TerminalText.escaped(text) + "\n")
                case .error(let text):
                    print(TerminalText.escaped("ERROR \(text)") + "\n")
                    loadErrors += 1
                case .skipped(let text): print(TerminalText.escaped("SKIPPED \(text)"))
                }
            }
        }
        if let junit {
            do {
                try results.junit().write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                throw InputError(description: "medic: cannot write \(junit): \(error.localizedDescription)")
            }
        }
        if results.skipped > 0 { print("\(results.skipped) skipped (input_series without --prometheus)") }
        print("\(results.passed) passed, \(results.failed) failed")
        if loadErrors > 0 { throw ExitCode(2) }
        if results.failed > 0 { throw ExitCode(1) }
    }
}
