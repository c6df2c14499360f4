import Foundation

/// Decides which cluster medic talks to, in kubectl's order: `--kubeconfig`, then
/// `$KUBECONFIG` (a `:`-separated list, merged), then the pod's service account when running
/// in-cluster, then `~/.kube/config`. The environment, home and service-account directory are
/// parameters so the decision is testable.
public struct ClusterLocator: Sendable {
    public var kubeconfig: String?
    public var context: String?
    public var environment: [String: String]
    public var homeDirectory: String
    public var serviceAccountDirectory: String

    public init(
        kubeconfig: String? = nil,
        context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory(),
        serviceAccountDirectory: String = InClusterConfig.defaultDirectory
    ) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    public func connect() throws(KubeConfigError) -> ClusterConnection {
        if let kubeconfig, !kubeconfig.isEmpty {
            return try load([kubeconfig])
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
            guard !existing.isEmpty else {
                throw KubeConfigError(
                    code: .noConfiguration,
                    problem: "none of the files in KUBECONFIG exist: \(paths.joined(separator: ", "))"
                )
            }
            return try load(existing)
        }
        let inCluster = InClusterConfig(directory: serviceAccountDirectory, environment: environment)
        if inCluster.isAvailable {
            if let context, !context.isEmpty {
                throw KubeConfigError(
                    code: .unknownContext,
                    problem: "--context \(KubeConfig.quoted(context)) needs a kubeconfig, and medic found none; running in-cluster, pass --kubeconfig or drop --context"
                )
            }
            return try inCluster.connection()
        }
        let defaultPath = "\(homeDirectory)/.kube/config"
        guard FileManager.default.fileExists(atPath: defaultPath) else {
            throw KubeConfigError(
                code: .noConfiguration,
                problem: "no cluster configured: pass --kubeconfig, set KUBECONFIG, run in a pod, or create ~/.kube/config"
            )
        }
        return try load([defaultPath])
    }

    private func load(_ paths: [String]) throws(KubeConfigError) -> ClusterConnection {
        try KubeConfig.load(files: paths, home: homeDirectory).connection(context: context)
    }
}
