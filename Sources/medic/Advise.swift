import ArgumentParser
import Foundation
import MedicAuthoring
import MedicDiagnosis
import MedicGitOps
import MedicKube
import MedicProm
import MedicRemediation
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
              [--query-timeout <seconds>] [--patch-dir <dir>] [--manifests <dir>]
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

        --output patch writes each fix as a kustomize strategic-merge patch file into \
        --patch-dir, for objects Argo CD or Flux own (their sync reverts a live patch). \
        With --manifests DIR (the repository they sync from) it also writes \
        medic-fixes.diff, which `git apply` takes. A restart or a pod deletion changes no \
        manifest and is listed, not written; so is a symptom whose cause has a fix.

        A snapshot saved by `medic snapshot` is evaluated at its capture time unless --at \
        says otherwise. Warnings go to stderr after the answer, one line per kind.

        Examples:
          medic advise --context prod
          kubectl get ns,pods,deploy,rs,sts,ds,jobs,svc,endpoints,events -A \\
              -o json > incident.json
          medic advise --snapshot incident.json
          medic advise --snapshot incident.json --prometheus http://127.0.0.1:9090 \\
              --at 2026-11-20T03:00:00Z --output json
          medic advise --context prod --output patch --manifests ~/src/deploy
          git -C ~/src/deploy apply "$PWD/medic-patches/medic-fixes.diff"

        Exit codes: 0 no findings, 1 findings, 2 usage or input error.
        """
    )

    @Option(name: .long, help: ArgumentHelp(
        "The snapshot to diagnose: `kubectl get … -o json` or `medic snapshot` output (default: the live cluster).",
        valueName: "file"))
    var snapshot: String?

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var metricSource: PrometheusOptions

    @OptionGroup var time: EvaluationOptions

    @OptionGroup var runbookSources: RunbookOptions

    @OptionGroup var scope: NamespaceOptions

    @OptionGroup var format: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for each Prometheus query.", valueName: "seconds"))
    var queryTimeout: Int = 10

    @Option(name: .long, help: ArgumentHelp("Where --output patch writes its files.", valueName: "dir"))
    var patchDir: String = "medic-patches"

    @Option(name: .long, help: ArgumentHelp(
        "A manifests repository: --output patch also writes a diff against it.", valueName: "dir"))
    var manifests: String?

    func validate() throws {
        if snapshot != nil, cluster.isSet {
            throw ValidationError("--snapshot reads a file, --kubeconfig and --context a live cluster: pass one source, not both")
        }
        guard queryTimeout > 0 else { throw ValidationError("--query-timeout must be at least 1 second") }
        if format.output != .patch, manifests != nil {
            throw ValidationError("--manifests is for --output patch: add it to write the fixes as a diff against that repository")
        }
    }

    func run() async throws {
        let loaded = try runbookSources.load()
        let source: any ClusterSource = if let snapshot {
            SnapshotFileSource(path: snapshot)
        } else {
            LiveClusterSource(
                connection: try self.cluster.connect(alternative: "or diagnose a saved snapshot with --snapshot FILE"),
                namespace: scope.namespace)
        }
        let reading = try await source.read()
        // What reading a large snapshot needed only while reading goes before the view is built.
        FreedMemory.giveBack()
        var warnings = Warnings()
        warnings.add(contentsOf: reading.warnings)
        if let namespace = scope.namespace {
            if let missing = reading.missingNamespace {
                throw Self.unknownNamespace(namespace, known: missing.known, in: source.label)
            }
            if snapshot != nil, !reading.snapshot.knownNamespaces.contains(namespace) {
                throw Self.unknownNamespace(namespace, known: reading.snapshot.knownNamespaces, in: source.label)
            }
        }
        // A snapshot is diagnosed as of when it was taken, unless --at says otherwise.
        let now = try time.instant(capturedAt: reading.snapshot.capturedAt)
        if snapshot != nil, let skew = EvaluationTime.skew(of: now, snapshot: reading.snapshot, label: source.label) {
            warnings.add(skew)
        }
        let cluster = ClusterView(reading.snapshot)
        let diagnoser = Diagnoser(runbooks: loaded)
        let queries = diagnoser.metricQueries
        let metrics = await MetricFetcher(baseURL: metricSource.prometheus, timeout: .seconds(queryTimeout)).fetch(queries, at: now)
        let report = diagnoser.diagnose(cluster, metrics: metrics, options: .init(now: now, namespace: scope.namespace))
        let counted = (workloads: cluster.workloads.count, services: cluster.services.count)
        // The report is all the output needs: the cluster goes before it is rendered, and its
        // memory back to the system, which at 10,000 pods is tens of megabytes less at the peak.
        _ = consume cluster
        _ = consume reading
        FreedMemory.giveBack()
        let outage = metricSource.prometheus.flatMap { PrometheusOutage(url: $0, metrics: metrics, queries: queries, report: report) }
        switch format.output {
        case .patch:
            let plan = await GitOpsPlan.make(report, objects: try await source.objects(), now: now)
            print(try Self.writePatches(plan, directory: patchDir, manifests: manifests))
        case .json:
            print(try AdviceJSON.render(report))
            if let outage { warnings.add(outage.message) }
        case .text:
            print(TerminalText.escaped(AdviceText.render(report, context: .init(
                snapshot: source.label, now: now, prometheus: metricSource.prometheus, outage: outage?.line, runbooks: loaded.count,
                workloads: counted.workloads, services: counted.services))))
        }
        FileHandle.standardError.write(Data(TerminalText.escaped(warnings.text).utf8))
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

    /// Writes the plan's files and says, per finding, what was written or why nothing was.
    static func writePatches(_ plan: GitOpsPlan, directory: String, manifests: String?) throws(InputError) -> String {
        do {
            let repository = try manifests.map { path throws(GitOpsError) in try ManifestRepository(root: URL(fileURLWithPath: path)) }
            let files = try PatchFiles.write(plan, to: URL(fileURLWithPath: directory), manifests: repository)
            var lines: [String] = []
            if plan.fixes.isEmpty {
                lines.append("No fix changes a manifest: nothing written to \(directory).")
            } else {
                lines.append("\(plan.fixes.count) fix\(plan.fixes.count == 1 ? "" : "es") written to \(directory):")
                for (fix, file) in zip(plan.fixes, files.patches) {
                    lines.append("  \(file)  \(fix.action) on \(fix.object)")
                }
            }
            for skipped in plan.skipped {
                lines.append("  not written: \(skipped.target): \(skipped.reason)")
            }
            for (fix, reason) in files.unplaced {
                lines.append("  not in the diff: \(fix.object): \(reason)")
            }
            if let diff = files.diff, let manifests {
                lines.append("")
                lines.append("Review and apply the diff against the manifests, then commit:")
                lines.append("  git -C \(ShellQuoting.quote(manifests)) apply \(ShellQuoting.quote(URL(fileURLWithPath: directory).appendingPathComponent(diff).path))")
            }
            return lines.joined(separator: "\n")
        } catch {
            throw InputError(description: "medic: \(error.description)")
        }
    }
}
