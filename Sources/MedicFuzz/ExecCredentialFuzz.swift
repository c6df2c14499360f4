import Foundation
@testable import MedicKube

extension FuzzTarget {
    /// What an exec credential plugin prints, read the way `ExecCredentialPlugin` reads it.
    public static let execCredential = FuzzTarget(name: "exec-credential") { input in
        switch execPlugin.parse(input) {
        case .success(let credential):
            guard credential.token != nil || credential.clientCertificateData != nil else {
                return FuzzViolation("a credential with neither a token nor a certificate")
            }
        case .failure(let error):
            guard error.code == .execPlugin else { return FuzzViolation("exec plugin error with code \(error.code)") }
        }
        return nil
    }

    private static let execPlugin = ExecCredentialPlugin(
        config: ExecConfig(apiVersion: ExecCredentialPlugin.v1, command: "fuzz-plugin"), directory: "/",
        source: "fuzz-kubeconfig", field: "users[0].user.exec",
        cluster: .init(server: "https://127.0.0.1:6443", caData: nil, insecureSkipTLSVerify: false), environment: [:]
    )
}
