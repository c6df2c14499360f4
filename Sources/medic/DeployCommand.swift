import ArgumentParser
import Foundation
import MedicPolicy

/// `medic deploy`: manifests for installing medic that depend on a site's own files.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Print install manifests derived from a policy.",
        subcommands: [DeployRBAC.self]
    )
}

/// `medic deploy rbac`: apply mode's write permissions, bound only in the namespaces the
/// policy lets medic act in.
struct DeployRBAC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbac",
        abstract: "Print apply mode's ClusterRole and one RoleBinding per namespace the policy allows.",
        // Written out, wrapped at 80 columns (the generated one is a single line);
        // HelpTests checks it names every option.
        usage: """
            medic deploy rbac --policy <file> [--namespaces <names> ...]
              [--service-account <namespace/name>]
            """,
        discussion: """
        The ClusterRole medic-apply holds what medic's actions send; it is bound with a \
        RoleBinding in each namespace the policy's namespaces.include allows and \
        namespaces.exclude does not refuse, so the cluster and the policy agree on where medic \
        may write. A glob in include (such as *) is matched against the names given with \
        --namespaces; kube-system, kube-public and kube-node-lease are bound only when the \
        policy names them. Under gitops: suspend the role also grants get and patch on Flux \
        Kustomizations and HelmReleases and Argo CD Applications (suspend-sync), so the \
        policy must include the namespaces they live in.

        Examples:
          medic deploy rbac --policy policies/production.yaml \\
            --namespaces "$(kubectl get ns -o jsonpath='{.items[*].metadata.name}')" \\
            > deploy/overlays/apply/rbac-apply.yaml

        Exit codes: 0 printed, 2 the policy cannot be read or allows no namespace.
        """
    )

    @Option(help: ArgumentHelp("The policy medic run applies.", valueName: "file"))
    var policy: String

    @Option(help: ArgumentHelp("The cluster's namespaces, separated by spaces or commas (repeatable).",
                               valueName: "names"))
    var namespaces: [String] = []

    @Option(name: .customLong("service-account"),
            help: ArgumentHelp("The ServiceAccount medic runs as.", valueName: "namespace/name"))
    var serviceAccount = "medic/medic"

    func validate() throws {
        guard serviceAccount.split(separator: "/").count == 2 else {
            throw ValidationError("--service-account is namespace/name, like medic/medic; got '\(serviceAccount)'")
        }
    }

    func run() throws {
        let loaded: Policy
        do {
            loaded = try PolicyLoader.loadFile(URL(fileURLWithPath: policy))
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        let existing = namespaces.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }) }
            .map { String($0.hasPrefix("namespace/") ? $0.dropFirst("namespace/".count) : $0) }
        let rbac: ApplyRBAC
        do {
            rbac = try ApplyRBAC(scope: loaded.namespaces, existing: existing, gitops: loaded.gitops)
        } catch {
            throw InputError(description: "medic: \(policy): \(error)")
        }
        let account = serviceAccount.split(separator: "/").map(String.init)
        var command = "medic deploy rbac --policy \(policy)"
        if !existing.isEmpty { command += " --namespaces \(existing.sorted().joined(separator: ","))" }
        if serviceAccount != "medic/medic" { command += " --service-account \(serviceAccount)" }
        print(rbac.yaml(command: command, serviceAccount: account[1], serviceAccountNamespace: account[0]), terminator: "")
    }
}
