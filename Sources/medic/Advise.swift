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
        discussion: """
        Reads a live cluster (--kubeconfig/--context, $KUBECONFIG, the in-cluster service \
        account, or ~/.kube/config, in that order) or a `kubectl get … -o json` snapshot (a \
        List of Namespaces, Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, \
        Services, Endpoints and Events, as `medic snapshot` saves), asks \
        Prometheus for the metric conditions of the runbooks at the evaluation instant, and \
        prints every finding: the root cause first, then the evidence, then the command.

        Metric conditions without Prometheus, or without data, are unknown: a finding that \
        needs them is not raised, and the output lists what could not be decided.

        Examples:
          medic advise --context prod
          kubectl get ns,pods,deploy,rs,sts,ds,svc,endpoints,events -A -o json > incident.json
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
        "Evaluation instant, RFC 3339 or unix seconds, for queries and object ages (default: now).",
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
        if let at, EvaluationTime.parse(at) == nil {
            throw ValidationError("--at '\(at)' is neither an RFC 3339 time (2026-11-20T03:00:00Z) nor unix seconds")
        }
        if let prometheus, !(prometheus.hasPrefix("http://") || prometheus.hasPrefix("https://")) {
            throw ValidationError("--prometheus '\(prometheus)' must be an http:// or https:// URL")
        }
        guard queryTimeout > 0 else { throw ValidationError("--query-timeout must be at least 1 second") }
    }

    func run() async throws {
        let now = at.flatMap(EvaluationTime.parse) ?? Date()
        let loaded = try runbookSources.load()
        let source: any ClusterSource = if let snapshot {
            SnapshotFileSource(path: snapshot)
        } else {
            LiveClusterSource(
                connection: try self.cluster.connect(alternative: "or diagnose a saved snapshot with --snapshot FILE"),
                namespace: namespace)
        }
        let reading = try await source.read()
        for warning in reading.warnings {
            FileHandle.standardError.write(Data("medic: warning: \(warning)\n".utf8))
        }
        let cluster = ClusterView(reading.snapshot)
        let diagnoser = Diagnoser(runbooks: loaded)
        let metrics = await MetricFetcher(baseURL: prometheus, timeout: .seconds(queryTimeout))
            .fetch(diagnoser.metricQueries, at: now)
        let report = diagnoser.diagnose(cluster, metrics: metrics, options: .init(now: now, namespace: namespace))
        switch output {
        case .json:
            print(try AdviceJSON.render(report))
        case .text:
            print(AdviceText.render(report, context: .init(
                snapshot: source.label, now: now, prometheus: prometheus, runbooks: loaded.count,
                workloads: cluster.workloads.count, services: cluster.services.count)))
        }
        if !report.findings.isEmpty { throw ExitCode(1) }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
