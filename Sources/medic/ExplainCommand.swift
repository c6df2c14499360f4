import ArgumentParser
import Foundation
import MedicAuthoring
import MedicDiagnosis
import MedicKube
import MedicProm
import MedicRunbook

/// `medic explain`: why one runbook did or did not match, condition by condition and target
/// by target, for the author who expected a finding that did not come (or the reverse).
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show, target by target, which conditions of a runbook held, failed or were unknown.",
        // Written out, wrapped at 80 columns (the generated one is a single line);
        // HelpTests checks it names every option.
        usage: """
            medic explain <runbook> --snapshot <file> [--prometheus <url>]
              [--at <time>] [--target <name>] [--runbooks <dir> ...]
              [--no-builtin-runbooks]
            """,
        discussion: """
        RUNBOOK is a runbook id (looked up among the built-in runbooks and --runbooks \
        directories, with a did-you-mean) or a runbook file. CEL conditions run in order and \
        the first that fails ends the list for that target; under each condition are the \
        fields it read and their values. Metric conditions need --prometheus, else they are \
        unknown. Without --at, a snapshot saved by `medic snapshot` is explained at its \
        capture time.

        Examples:
          medic explain oom-killed --snapshot incident.json --at 2026-11-20T03:00:00Z
          medic explain runbooks/pool-exhaustion.yaml --snapshot incident.json \\
              --prometheus http://127.0.0.1:9090 --at 2026-11-20T03:00:00Z \\
              --target order-service

        Exit codes: 0 explained (whatever the outcome), 2 usage or input error.
        """
    )

    @Argument(help: ArgumentHelp("A runbook id or a runbook file.", valueName: "runbook"))
    var runbook: String

    @Option(name: .long, help: ArgumentHelp("The snapshot: `kubectl get … -o json` output.", valueName: "file"))
    var snapshot: String

    @OptionGroup var metricSource: PrometheusOptions

    @OptionGroup var time: EvaluationOptions

    @Option(name: .long, help: ArgumentHelp("Only targets with this name (or namespace/name).", valueName: "name"))
    var target: String?

    @OptionGroup var runbookSources: RunbookOptions

    func run() async throws {
        let loaded: Runbook
        let state: Snapshot
        do {
            if runbook.hasSuffix(".yaml") || runbook.hasSuffix(".yml") || runbook.contains("/") {
                loaded = try RunbookLoader.loadFile(URL(fileURLWithPath: runbook))
            } else {
                let all = try runbookSources.load()
                guard let found = all.first(where: { $0.id == runbook }) else {
                    let ids = all.map(\.id)
                    let guess = Spelling.closest(to: runbook, among: ids).map { " Did you mean '\($0)'?" } ?? ""
                    throw InputError(description: "medic: no runbook '\(runbook)'.\(guess) Runbooks: \(ids.joined(separator: ", "))")
                }
                loaded = found
            }
            state = try Snapshot.load(contentsOf: URL(fileURLWithPath: snapshot))
        } catch let error as LoadError {
            throw InputError(description: "medic: runbook error: \(error)")
        } catch let error as SnapshotError {
            throw InputError(description: "medic: snapshot error: \(error)")
        }
        let now = try time.instant(capturedAt: state.capturedAt)
        var warnings = Warnings()
        if let skew = EvaluationTime.skew(of: now, snapshot: state, label: snapshot) { warnings.add(skew) }
        let cluster = ClusterView(state)
        let diagnoser = Diagnoser(runbooks: [loaded])
        // Every runbook, with this one in place of its namesake, for how its findings are grouped.
        let all = Diagnoser(runbooks: ((try? runbookSources.load()) ?? []).filter { $0.id != loaded.id } + [loaded])
        let metrics = await MetricFetcher(baseURL: metricSource.prometheus, timeout: .seconds(10)).fetch(all.metricQueries, at: now)
        let (report, explanations) = diagnoser.explain(cluster, metrics: metrics, options: .init(now: now))
        let grouping = all.diagnose(cluster, metrics: metrics, options: .init(now: now))
        print(TerminalText.escaped(ExplainText.render(loaded, explanations: explanations, report: report, target: target,
                                 now: now, prometheus: metricSource.prometheus, grouping: grouping)))
        FileHandle.standardError.write(Data(TerminalText.escaped(warnings.text).utf8))
    }
}
