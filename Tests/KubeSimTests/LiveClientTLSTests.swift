import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// medic's own path end to end over TLS: a kubeconfig as kubectl would use it, loaded by
/// `ClusterLocator`, then `KubeReader` on libcurl against KubeSim requiring a bearer token or a
/// client certificate. The wrong credential gets the typed Unauthorized error.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LiveClientTLSTests {
    private func reader(_ server: RunningKubeSim, _ credentials: KubeconfigCredentials) throws -> KubeReader {
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-\(UUID().uuidString).yaml")
        try server.writeKubeconfig(to: kubeconfig.path, credentials: credentials)
        let connection = try ClusterLocator(kubeconfig: kubeconfig.path, environment: [:],
                                            homeDirectory: FileManager.default.temporaryDirectory.path).connect()
        return KubeReader(connection: connection, timeout: .seconds(10))
    }

    @Test func bearerTokenFromTheKubeconfig() async throws {
        let certificates = try await TLSAuthenticationTests.Certificates()
        let sim = KubeSim()
        try sim.load(manifests: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
        let server = try await sim.start(ServerOptions(
            tls: .init(certificateFile: certificates.serverChain, privateKeyFile: certificates.serverKey),
            bearerToken: "s3cret"))
        defer { Task { await server.stop() } }

        let namespaces = try await reader(server, .token("s3cret")).list(Namespace.self)
        #expect(namespaces.items.map(\.metadata.name).contains("shop"))
        await #expect(throws: KubeAPIError.self) {
            _ = try await reader(server, .token("wrong")).list(Namespace.self)
        }
    }

    @Test func clientCertificateFromTheKubeconfig() async throws {
        let certificates = try await TLSAuthenticationTests.Certificates()
        let sim = KubeSim()
        try sim.load(manifests: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
        let server = try await sim.start(ServerOptions(
            tls: .init(certificateFile: certificates.serverChain, privateKeyFile: certificates.serverKey,
                       clientCAFile: certificates.caCert)))
        defer { Task { await server.stop() } }

        let namespaces = try await reader(server, .clientCertificate(certificateFile: certificates.clientCert,
                                                                     keyFile: certificates.clientKey))
            .list(Namespace.self)
        #expect(namespaces.items.map(\.metadata.name).contains("shop"))
        do {
            _ = try await reader(server, .none).list(Namespace.self)
            Issue.record("a client without a certificate was let in")
        } catch let error as KubeAPIError {
            // The TLS handshake itself refuses a client without a certificate.
            #expect(error.code == .unauthorized || error.code == .unreachable, "\(error)")
        }
    }
}
