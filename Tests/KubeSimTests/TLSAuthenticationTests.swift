import Foundation
import MedicHTTP
import MedicKube
import MedicProcess
import Testing
@testable import KubeSim

/// KubeSim over TLS with a bearer token or client certificates: kubectl and MedicHTTP's
/// client succeed with the right credentials and get 401 Unauthorized without them.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TLSAuthenticationTests {
    /// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, via openssl.
    struct Certificates {
        let directory: URL
        var caCert: String { directory.appendingPathComponent("ca.crt").path }
        var serverChain: String { directory.appendingPathComponent("server-chain.crt").path }
        var serverKey: String { directory.appendingPathComponent("server.key").path }
        var clientCert: String { directory.appendingPathComponent("client.crt").path }
        var clientKey: String { directory.appendingPathComponent("client.key").path }

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                        "-days", "1", "-subj", "/CN=kube-sim-test-ca")
            try Data("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".utf8)
                .write(to: directory.appendingPathComponent("server.ext"))
            try await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                        "-subj", "/CN=127.0.0.1")
            try await openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                        "-out", "server.crt", "-days", "1", "-extfile", "server.ext")
            try Data("extendedKeyUsage=clientAuth\n".utf8).write(to: directory.appendingPathComponent("client.ext"))
            try await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
                        "-subj", "/CN=alice/O=devs")
            try await openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                        "-out", "client.crt", "-days", "1", "-extfile", "client.ext")
            let chain = try Data(contentsOf: directory.appendingPathComponent("server.crt"))
                + Data(contentsOf: directory.appendingPathComponent("ca.crt"))
            try chain.write(to: URL(fileURLWithPath: serverChain))
        }

        private func openssl(_ arguments: String...) async throws {
            let process = try ChildProcess.spawn("/usr/bin/openssl", arguments, directory: directory.path,
                                                 stdout: .null, stderr: .null)
            let ended = await process.waitForExit(within: .seconds(30))
            if ended == nil { await process.terminate(grace: .seconds(1)) }
            guard ended == .exited(0) else {
                throw TestFailure("openssl \(arguments.joined(separator: " ")) failed")
            }
        }
    }

    static let unauthorizedStatus: JSON = [
        "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
        "message": "Unauthorized", "reason": "Unauthorized", "code": 401,
    ]

    @Test func bearerTokenIsRequired() async throws {
        let certificates = try await Certificates()
        let server = try await KubeSim().start(ServerOptions(
            tls: .init(certificateFile: certificates.serverChain, privateKeyFile: certificates.serverKey),
            bearerToken: "s3cret"))
        defer { Task { await server.stop() } }
        #expect(server.baseURL == "https://127.0.0.1:\(server.port)")

        let allowed = try Kubectl(server: server, credentials: .token("s3cret"))
        try await #expect(try await allowed.succeed("get", "namespace", "default", "-o", "name") == "namespace/default\n")
        // With no credentials at all kubectl prompts for a username over TLS, so the refused
        // client presents a wrong token instead.
        let refused = try await Kubectl(server: server, credentials: .token("wrong")).run("get", "namespaces")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix("error: You must be logged in to the server (the server has asked for the client to provide credentials)\n"))

        let url = "\(server.baseURL)/api/v1/namespaces/default"
        let tls = TLSOptions(caFile: certificates.caCert)
        let withToken = try await HTTPClient(configuration: .init(tls: tls, bearerToken: "s3cret")).send(.init(url: url))
        #expect(withToken.status == 200)
        let wrongToken = try await HTTPClient(configuration: .init(tls: tls, bearerToken: "nope")).send(.init(url: url))
        #expect(wrongToken.status == 401)
        #expect(try JSON(parsing: wrongToken.body) == Self.unauthorizedStatus)
        await server.stop()
    }

    @Test func clientCertificateIsRequired() async throws {
        let certificates = try await Certificates()
        let server = try await KubeSim().start(ServerOptions(
            tls: .init(certificateFile: certificates.serverChain, privateKeyFile: certificates.serverKey,
                       clientCAFile: certificates.caCert)))
        defer { Task { await server.stop() } }

        let allowed = try Kubectl(server: server, credentials: .clientCertificate(
            certificateFile: certificates.clientCert, keyFile: certificates.clientKey))
        try await #expect(try await allowed.succeed("get", "namespace", "default", "-o", "name") == "namespace/default\n")
        let refused = try await Kubectl(server: server, credentials: .token("not-a-certificate")).run("get", "namespaces")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix("error: You must be logged in to the server (the server has asked for the client to provide credentials)\n"))

        let url = "\(server.baseURL)/api/v1/namespaces/default"
        let withCertificate = try await HTTPClient(configuration: .init(tls: TLSOptions(
            caFile: certificates.caCert, clientCertificateFile: certificates.clientCert,
            clientKeyFile: certificates.clientKey))).send(.init(url: url))
        #expect(withCertificate.status == 200)
        let without = try await HTTPClient(configuration: .init(tls: TLSOptions(caFile: certificates.caCert)))
            .send(.init(url: url))
        #expect(without.status == 401)
        #expect(try JSON(parsing: without.body) == Self.unauthorizedStatus)
        await server.stop()
    }
}
