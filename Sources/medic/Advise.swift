import ArgumentParser
import Foundation
import MedicController
import MedicDiagnosis
import MedicKube
import MedicProm
import MedicRunbook

/// `medic advise`: read-only diagnosis. It holds no writer, so it cannot change a cluster.
struct Advise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnose a cluster or a snapshot of one and print the fixes, without changing anything.",
        // Written out, wrapped at 80 columns (the generated one is a single line);
        // HelpTests checks it names every option.
        usage: """
            medic advise [--snapshot <file>] [--kubeconfig <file>] [--context <name>]
              [--prometheus <url>] [--at <time>] [--runbooks <dir> ...]
              [--no-builtin-runbooks] [--namespace <ns>] [--output <output>]
              [--query-timeout <seconds>]
            """,
        discussion: """
        Reads a live cluster (--kubeconfig/--context, $KUBECONFIG, the in-cluster service \
        account, or ~/.kube/config, in that order) or a `kubectl get … -o json` snapshot (a \
        List of Namespaces, Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, \
        Services, Endpoints and Events, as `medic snapshot` saves), asks \
        Prometheus for the metric conditions of the runbooks at the evaluation instant, and \
        prints every finding: the root cause first, then the evidence, then the command.

        Metric conditions without Prometheus, or without data, are unknown: a finding that \
        needs them is not raised, and the output lists what could not be decided. When \
        Prometheus answers no query, the first line says so. A --namespace that does not \
        exist is an error listing those that do.

        A snapshot saved by `medic snapshot` is evaluated at its capture time unless --at \
        says otherwise. Warnings go to stderr after the answer, one line per kind.

        Examples:
          medic advise --context prod
          kubectl get ns,pods,deploy,rs,sts,ds,jobs,svc,endpoints,events -A \\
              -o json > incident.json
          medic advise --snapshot incident.json
          medic advise --snapshot incident.json --prometheus http://127.0.0.1:9090 \\
              --at 2026-11-20T03:00:00Z --output json

        Exit codes: 0 no findings, 1 findings, 2 usage or input error.
        """
    )

    @Option(name: .long, help: ArgumentHelp(
        "The snapshot to diagnose: `kubectl get … -o json` or `medic snapshot` output (default: the live cluster).",
        valueName: "file"))
    var snapshot: String?

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .long, help: ArgumentHelp("Prometheus base URL for metric conditions.", valueName: "url"))
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp(
        "Evaluation instant, RFC 3339 or unix seconds, for queries and object ages (default: when the snapshot was "
            + "captured, else now).",
        valueName: "time"))
    var at: String?

    @OptionGroup var runbookSources: RunbookOptions

    @Option(name: .long, help: ArgumentHelp("Only diagnose objects in this namespace.", valueName: "ns"))
    var namespace: String?

    @Option(name: .long, help: "Output format: text or json.")
    var output: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for each Prometheus query.", valueName: "seconds"))
    var queryTimeout: Int = 10

    func validate() throws {
        if snapshot != nil, cluster.isSet {
            throw ValidationError("--snapshot reads a file, --kubeconfig and --context a live cluster: pass one source, not both")
        }
        try EvaluationTime.validate(at)
        if let prometheus, !(prometheus.hasPrefix("http://") || prometheus.hasPrefix("https://")) {
            throw ValidationError("--prometheus '\(prometheus)' must be an http:// or https:// URL")
        }
        guard queryTimeout > 0 else { throw ValidationError("--query-timeout must be at least 1 second") }
    }

    func run() async throws {
        let loaded = try runbookSources.load()
        let source: any ClusterSource = if let snapshot {
            SnapshotFileSource(path: snapshot)
        } else {
            LiveClusterSource(
                connection: try self.cluster.connect(alternative: "or diagnose a saved snapshot with --snapshot FILE"),
                namespace: namespace)
        }
        let reading = try await source.read()
        var warnings = Warnings()
        warnings.add(contentsOf: reading.warnings)
        if let namespace {
            if let missing = reading.missingNamespace {
                throw Self.unknownNamespace(namespace, known: missing.known, in: source.label)
            }
            if snapshot != nil, !reading.snapshot.knownNamespaces.contains(namespace) {
                throw Self.unknownNamespace(namespace, known: reading.snapshot.knownNamespaces, in: source.label)
            }
        }
        // A snapshot is diagnosed as of when it was taken, unless --at says otherwise.
        let now = try at.map { text throws in try EvaluationTime.parse(text) } ?? reading.snapshot.capturedAt ?? Date()
        if snapshot != nil, let skew = EvaluationTime.skew(of: now, snapshot: reading.snapshot, label: source.label) {
            warnings.add(skew)
        }
        let cluster = ClusterView(reading.snapshot)
        let diagnoser = Diagnoser(runbooks: loaded)
        let queries = diagnoser.metricQueries
        let metrics = await MetricFetcher(baseURL: prometheus, timeout: .seconds(queryTimeout)).fetch(queries, at: now)
        let report = diagnoser.diagnose(cluster, metrics: metrics, options: .init(now: now, namespace: namespace))
        let outage = prometheus.flatMap { PrometheusOutage(url: $0, metrics: metrics, queries: queries, report: report) }
        switch output {
        case .json:
            print(try AdviceJSON.render(report))
            if let outage { warnings.add(outage.message) }
        case .text:
            print(AdviceText.render(report, context: .init(
                snapshot: source.label, now: now, prometheus: prometheus, outage: outage?.line, runbooks: loaded.count,
                workloads: cluster.workloads.count, services: cluster.services.count)))
        }
        FileHandle.standardError.write(Data(warnings.text.utf8))
        if !report.findings.isEmpty { throw ExitCode(1) }
    }

    /// An empty answer for a namespace that is not there would read as a healthy one.
    static func unknownNamespace(_ name: String, known: [String]?, in label: String) -> InputError {
        guard let known else {
            return InputError(description: "medic: namespace '\(name)' does not exist in \(label) (medic may not list the others)")
        }
        let guess = Spelling.closest(to: name, among: known).map { " Did you mean '\($0)'?" } ?? ""
        let list = known.isEmpty ? "it has none" : "it has: \(known.joined(separator: ", "))"
        return InputError(description: "medic: namespace '\(name)' does not exist in \(label).\(guess) Namespaces \(list)")
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
