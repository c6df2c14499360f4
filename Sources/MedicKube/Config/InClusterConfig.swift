import Foundation
import MedicHTTP

/// The service account a pod gets: API server address from `KUBERNETES_SERVICE_HOST`/`_PORT`,
/// token, CA and namespace from the mounted directory. The directory is a parameter so tests
/// (and unusual mounts) can point elsewhere.
public struct InClusterConfig: Sendable {
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public var directory: String
    public var environment: [String: String]

    public init(
        directory: String = InClusterConfig.defaultDirectory,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.directory = directory
        self.environment = environment
    }

    /// True when the environment says medic runs in a pod (both service variables set).
    public var isAvailable: Bool {
        environment["KUBERNETES_SERVICE_HOST"]?.isEmpty == false && environment["KUBERNETES_SERVICE_PORT"]?.isEmpty == false
    }

    public func connection() throws(KubeConfigError) -> ClusterConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubeConfigError(
                code: .inCluster,
                problem: "unable to load in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined"
            )
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let token = TokenFile(path: "\(directory)/token")
        _ = try token.token()
        var tls = TLSOptions()
        tls.caData = FileManager.default.contents(atPath: "\(directory)/ca.crt")
        return ClusterConnection(
            server: "https://\(bracketed):\(port)",
            namespace: namespace(),
            tls: tls,
            credentials: .tokenFile(token),
            origin: "in-cluster service account (\(directory))"
        )
    }

    /// `POD_NAMESPACE`, else the mounted namespace file, else `default`.
    private func namespace() -> String {
        if let namespace = environment["POD_NAMESPACE"], !namespace.isEmpty { return namespace }
        let file = (try? String(contentsOfFile: "\(directory)/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return file.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }
}
