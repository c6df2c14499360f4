import ArgumentParser
import Foundation
import MedicAuthoring
import MedicKube

/// `medic snapshot`: saves what `medic advise` reads from a live cluster, logs included, so
/// an incident can be replayed offline with `medic advise --snapshot FILE`.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Save the cluster state medic diagnoses to a file, for offline replay.",
        // Written out, wrapped at 80 columns (the generated one is a single line);
        // HelpTests checks it names every option.
        usage: """
            medic snapshot [--kubeconfig <file>] [--context <name>]
              [--namespace <ns>] --output <file>
            """,
        discussion: """
        Reads namespaces, pods, deployments, replicasets, statefulsets, daemonsets, services, \
        endpoints and events (all namespaces, or --namespace), plus the previous log of each \
        crash-looping container (last 50 lines), and writes them as one `kubectl get -o json` \
        style List. Logs are items of kind PodLog (apiVersion medic.io/v1). The List's \
        annotation medic.io/captured-at records when it was read; `medic advise --snapshot` \
        evaluates at that instant unless --at says otherwise.

        Examples:
          medic snapshot -o incident.json
          medic snapshot --context prod --namespace shop -o incident.json
          medic advise --snapshot incident.json

        Exit codes: 0 saved, 2 usage, configuration or cluster error.
        """
    )

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var scope: NamespaceOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("File to write, or - for standard output.", valueName: "file"))
    var output: String

    func run() async throws {
        let source = LiveClusterSource(connection: try cluster.connect(), namespace: scope.namespace)
        let reading = try await source.read()
        if let namespace = scope.namespace, let missing = reading.missingNamespace {
            throw Advise.unknownNamespace(namespace, known: missing.known, in: source.label)
        }
        var warnings = Warnings()
        warnings.add(contentsOf: reading.warnings)
        let data = try reading.snapshot.encodedList()
        if output == "-" {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            do {
                try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw InputError(description: "medic: cannot write \(output): \(error.localizedDescription)")
            }
        }
        let snapshot = reading.snapshot
        let summary = "medic: saved \(snapshot.pods.count) pods, \(snapshot.deployments.count) deployments, "
            + "\(snapshot.services.count) services, \(snapshot.events.count) events and \(snapshot.podLogs.count) "
            + "container logs from \(source.label) to \(output == "-" ? "standard output" : output)\n"
        FileHandle.standardError.write(Data((summary + TerminalText.escaped(warnings.text)).utf8))
    }
}
