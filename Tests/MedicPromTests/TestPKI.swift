import Foundation
import MedicProcess

/// A throwaway CA with a server certificate for 127.0.0.1/localhost and a client certificate
/// (CN medic-client), made by the `openssl` command in a temp dir removed after the test.
struct TestPKI {
    let directory: URL

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    var caFile: String { path("ca.crt") }
    var serverCertificate: String { path("server.crt") }
    var serverKey: String { path("server.key") }
    var clientCertificate: String { path("client.crt") }
    var clientKey: String { path("client.key") }
    /// Signed by the same CA, but for another host name only.
    var otherHostCertificate: String { path("other.crt") }
    var otherHostKey: String { path("other.key") }

    struct OpenSSLFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func with<T>(_ body: (TestPKI) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("medic-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pki = TestPKI(directory: directory)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"]
        try await pki.openssl(["req", "-x509"] + key + ["-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=medic-test-ca"])
        let signed = ["-CA", "ca.crt", "-CAkey", "ca.key", "-addext", "basicConstraints=critical,CA:FALSE"]
        try await pki.openssl(["req", "-x509"] + key + signed + [
            "-keyout", "server.key", "-out", "server.crt", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        try await pki.openssl(["req", "-x509"] + key + signed + [
            "-keyout", "other.key", "-out", "other.crt", "-subj", "/CN=elsewhere.invalid",
            "-addext", "subjectAltName=DNS:elsewhere.invalid",
        ])
        try await pki.openssl(["req", "-x509"] + key + signed + [
            "-keyout", "client.key", "-out", "client.crt", "-subj", "/CN=medic-client",
            "-addext", "extendedKeyUsage=clientAuth",
        ])
        return try await body(pki)
    }

    private func openssl(_ arguments: [String]) async throws {
        let errorLog = directory.appendingPathComponent("openssl.log")
        let process = try ChildProcess.spawn("/usr/bin/env", ["openssl"] + arguments, directory: directory.path,
                                             stdout: .null, stderr: .file(errorLog.path))
        guard await process.waitForExit(within: .seconds(60)) == .exited(0) else {
            await process.terminate(grace: .seconds(1))
            let message = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw OpenSSLFailure(description: "openssl \(arguments.joined(separator: " ")): \(message)")
        }
    }
}
