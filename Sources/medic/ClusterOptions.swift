import ArgumentParser
import MedicKube

/// How a command finds a live cluster: kubectl's flags and precedence (`--kubeconfig`,
/// `$KUBECONFIG`, the pod's service account, `~/.kube/config`). Shared by every command
/// that talks to a cluster.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "kubeconfig file (default: $KUBECONFIG, then the in-cluster service account, then ~/.kube/config).",
        valueName: "file"))
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("kubeconfig context to use (default: its current-context).", valueName: "name"))
    var context: String?

    /// True when a flag asked for a live cluster explicitly.
    var isSet: Bool { kubeconfig != nil || context != nil }

    /// `alternative` is appended when no cluster is configured at all, to name the command's
    /// other source (`--snapshot FILE`).
    func connect(alternative: String? = nil) throws(InputError) -> ClusterConnection {
        do {
            return try ClusterLocator(kubeconfig: kubeconfig, context: context).connect()
        } catch {
            let more = error.code == .noConfiguration ? alternative.map { "; \($0)" } ?? "" : ""
            throw InputError(description: "medic: cluster configuration error: \(error)\(more)")
        }
    }
}
