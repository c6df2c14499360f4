import Foundation
import MedicProcess

/// The Python fixture server (Fixtures/test_server.py) on a free 127.0.0.1 port, for as long
/// as one test body runs. It also exits by itself if the test process disappears.
struct TestServer {
    let port: Int
    let scheme: String

    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    struct TLS {
        var certificate: String
        var key: String
        var clientCA: String?
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/test_server.py").path

    static func with<T>(tls: TLS? = nil, _ body: (TestServer) async throws -> T) async throws -> T {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("medic-port-\(UUID().uuidString)")
        var arguments = ["python3", script, "--port-file", portFile.path]
        if let tls {
            arguments += ["--cert", tls.certificate, "--key", tls.key]
            if let clientCA = tls.clientCA {
                arguments += ["--client-ca", clientCA]
            }
        }
        // Its stdin is a pipe that only this process holds open: when it goes, the server sees
        // EOF and exits.
        let (process, stdin) = try ChildProcess.piped(childReads: true) { end throws(ChildProcess.SpawnFailure) in
            try ChildProcess.spawn("/usr/bin/env", arguments, stdin: .descriptor(end))
        }
        defer { close(stdin) }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(waitForPort(portFile, process: process, tls: tls, arguments: arguments)))
        } catch {
            outcome = .failure(error)
        }
        // Polled, not a blocking wait: that would starve the small cooperative pool that the
        // tests' own timing depends on.
        await process.terminate(grace: .seconds(5))
        try? FileManager.default.removeItem(at: portFile)
        return try outcome.get()
    }

    private static func waitForPort(
        _ portFile: URL, process: ChildProcess, tls: TLS?, arguments: [String]
    ) async throws -> TestServer {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.exitStatus() == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return TestServer(port: port, scheme: tls == nil ? "http" : "https")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StartFailure(description: "test server did not start within 60 s (\(arguments.joined(separator: " ")))")
    }
}

/// A loopback port nothing listens on: bound, read back, closed.
func closedLoopbackPort() -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(socket, pointer, length)
            return getsockname(socket, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
