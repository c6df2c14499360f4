import Foundation
import Testing
@testable import MedicKube

/// A plugin script that counts its runs in `count` and prints `output` (a shell here-doc body).
private func plugin(in directory: TempDirectory, output: String) throws -> String {
    try directory.write("plugin.sh", """
        #!/bin/sh
        echo run >> "\(directory.path)/count"
        echo "$KUBERNETES_EXEC_INFO" > "\(directory.path)/exec-info"
        echo "$MEDIC_TEST_VAR $*" > "\(directory.path)/args"
        cat <<'JSON'
        \(output)
        JSON
        """, executable: true)
}

private func runs(_ directory: TempDirectory) -> Int {
    ((try? String(contentsOfFile: "\(directory.path)/count", encoding: .utf8)) ?? "").split(separator: "\n").count
}

private func kubeconfig(_ directory: TempDirectory, exec: String) throws -> ClusterConnection {
    let file = try directory.write("kubeconfig", """
        current-context: x
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: \(Data("CA".utf8).base64EncodedString())}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        users:
        - name: u
          user:
            exec:
        \(exec)
        """)
    return try KubeConfig.load(files: [file], home: directory.path).connection()
}

@Suite("exec credential plugin")
struct ConfigExecPluginTests {
    @Test("a token with an expiry is cached until it expires; the plugin gets args, env and cluster info")
    func tokenCaching() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try plugin(in: directory, output: """
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-abc","expirationTimestamp":"2099-01-01T00:00:00Z"}}
            """)
        let connection = try kubeconfig(directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh
                  args: [--cluster, prod]
                  env: [{name: MEDIC_TEST_VAR, value: hello}]
                  interactiveMode: Never
                  provideClusterInfo: true
            """)
        for _ in 0..<3 {
            #expect(try await connection.httpConfiguration().bearerToken == "exec-token-abc")
        }
        #expect(runs(directory) == 1)
        #expect(try String(contentsOfFile: "\(directory.path)/args", encoding: .utf8) == "hello --cluster prod\n")
        let info = try String(contentsOfFile: "\(directory.path)/exec-info", encoding: .utf8)
        #expect(info == #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"cluster":{"certificate-authority-data":"Q0E=","server":"https://127.0.0.1:6443"},"interactive":false}}"# + "\n")
        await connection.credentialsRejected()
        #expect(try await connection.httpConfiguration().bearerToken == "exec-token-abc")
        #expect(runs(directory) == 2)
    }

    @Test("an expired credential runs the plugin again; v1beta1 needs no interactiveMode")
    func expiry() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try plugin(in: directory, output: """
            {"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"short","expirationTimestamp":"2001-01-01T00:00:00Z"}}
            """)
        let connection = try kubeconfig(directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: \(directory.path)/plugin.sh
            """)
        #expect(try await connection.httpConfiguration().bearerToken == "short")
        #expect(try await connection.httpConfiguration().bearerToken == "short")
        #expect(runs(directory) == 2)
        #expect(try String(contentsOfFile: "\(directory.path)/exec-info", encoding: .utf8)
            == #"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{"interactive":false}}"# + "\n")
    }

    @Test("a credential without expiry is kept; concurrent requests share one run; certificates become TLS data")
    func certificates() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try plugin(in: directory, output: """
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----\\nC\\n","clientKeyData":"-----BEGIN PRIVATE KEY-----\\nK\\n"}}
            """)
        let connection = try kubeconfig(directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh
                  interactiveMode: IfAvailable
            """)
        let configurations = try await withThrowingTaskGroup(of: Data?.self) { group in
            for _ in 0..<4 {
                group.addTask { try await connection.httpConfiguration().tls.clientCertificateData }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(configurations == Array(repeating: Data("-----BEGIN CERTIFICATE-----\nC\n".utf8), count: 4))
        let configuration = try await connection.httpConfiguration()
        #expect(configuration.tls.clientKeyData == Data("-----BEGIN PRIVATE KEY-----\nK\n".utf8))
        #expect(configuration.bearerToken == nil)
        #expect(runs(directory) == 1)
    }

    @Test("plugin failures name the kubeconfig, the field and the cause", arguments: [
        (#"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}"#,
         "plugin \"./plugin.sh\" printed apiVersion \"client.authentication.k8s.io/v1beta1\", expected \"client.authentication.k8s.io/v1\""),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}"#,
         "plugin \"./plugin.sh\" printed an ExecCredential without status"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"K"}}"#,
         "plugin \"./plugin.sh\" printed only one of clientCertificateData and clientKeyData; both are needed"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"tomorrow"}}"#,
         "plugin \"./plugin.sh\" printed expirationTimestamp \"tomorrow\", which is not an RFC 3339 time"),
        ("please log in", "plugin \"./plugin.sh\" did not print an ExecCredential as JSON; it printed \"please log in\\n\""),
    ])
    func failures(output: String, problem: String) async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try plugin(in: directory, output: output)
        let connection = try kubeconfig(directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh
                  interactiveMode: Never
            """)
        do {
            _ = try await connection.httpConfiguration()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .execPlugin)
            #expect(error.description == "~/kubeconfig: users[0].user.exec: \(problem)")
        }
    }

    @Test("a failing or missing plugin says so, with the install hint")
    func missing() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        /// Runs `script` as the plugin and expects it to fail with `problem`.
        func expectFailure(_ name: String, _ script: String, _ problem: String) async throws {
            try directory.write(name, "#!/bin/sh\n\(script)\n", executable: true)
            let config = try kubeconfig(directory, exec: """
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./\(name)
                      interactiveMode: Never
                """)
            await #expect(throws: KubeConfigError(code: .execPlugin, file: "~/kubeconfig", field: "users[0].user.exec",
                                                  problem: "plugin \"./\(name)\" \(problem)")) {
                _ = try await config.httpConfiguration()
            }
        }
        try await expectFailure("fail.sh", "exit 3", "exited with status 3")
        // One killed by a signal says which, rather than a made-up exit status.
        try await expectFailure("killed.sh", "kill -9 $$", "ended by signal 9")
        // A plugin that never stops printing is stopped after a megabyte.
        try await expectFailure("chatty.sh", "exec yes", "printed more than 1048576 bytes; an ExecCredential is a few kilobytes, so it was stopped and its output not read")
        let absent = try kubeconfig(directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1
                  command: medic-no-such-plugin
                  interactiveMode: Never
                  installHint: install it with brew install medic-no-such-plugin
            """)
        await #expect(throws: KubeConfigError(code: .execPlugin, file: "~/kubeconfig", field: "users[0].user.exec",
                                              problem: "plugin \"medic-no-such-plugin\" was not found; install it with brew install medic-no-such-plugin")) {
            _ = try await absent.httpConfiguration()
        }
    }
}
