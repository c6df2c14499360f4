import Foundation
import Testing
@testable import MedicKube

@Suite("in-cluster config")
struct ConfigInClusterTests {
    private let environment = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]

    @Test("the service account directory gives server, token, CA and namespace")
    func serviceAccount() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.write("token", "eyJ.first\n")
        try directory.write("ca.crt", "CLUSTER CA")
        try directory.write("namespace", "medic-system\n")
        let connection = try InClusterConfig(directory: directory.path, environment: environment).connection()
        #expect(connection.server == "https://10.96.0.1:443")
        #expect(connection.namespace == "medic-system")
        #expect(connection.tls.caData == Data("CLUSTER CA".utf8))
        #expect(connection.origin == "in-cluster service account (\(directory.path))")
        #expect(try await connection.httpConfiguration().bearerToken == "eyJ.first")
    }

    @Test("a rotated token is read on the next request; a vanished one falls back to the last good token")
    func rotation() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.write("token", "eyJ.first")
        let connection = try InClusterConfig(directory: directory.path, environment: environment).connection()
        #expect(try await connection.httpConfiguration().bearerToken == "eyJ.first")
        // The kubelet swaps the file; medic must not keep the old token for the process lifetime.
        try directory.write("token", "eyJ.second")
        #expect(try await connection.httpConfiguration().bearerToken == "eyJ.second")
        try FileManager.default.removeItem(atPath: "\(directory.path)/token")
        #expect(try await connection.httpConfiguration().bearerToken == "eyJ.second")
    }

    @Test("IPv6 hosts are bracketed; POD_NAMESPACE wins; no namespace file means default")
    func addressing() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.write("token", "t")
        let v6 = try InClusterConfig(
            directory: directory.path,
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"]
        ).connection()
        #expect(v6.server == "https://[fd00::1]:6443")
        #expect(v6.namespace == "default")
        #expect(v6.tls.caData == nil)
        try directory.write("namespace", "from-file")
        let env = environment.merging(["POD_NAMESPACE": "from-env"]) { $1 }
        #expect(try InClusterConfig(directory: directory.path, environment: env).connection().namespace == "from-env")
    }

    @Test("missing environment or token give client-go's messages")
    func failures() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        func message(_ environment: [String: String]) -> String {
            do {
                _ = try InClusterConfig(directory: directory.path, environment: environment).connection()
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message([:]) == "unable to load in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        #expect(message(environment) == "cannot read the token file \(directory.path)/token: No such file or directory")
        try directory.write("token", " \n")
        #expect(message(environment) == "the token file \(directory.path)/token is empty")
    }
}
