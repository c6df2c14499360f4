import Foundation
import MedicKube
import MedicProcess
import MedicRemediation
import Testing

/// Runs each rendered command through a real `/bin/sh` with `kubectl` replaced by a function
/// that prints its argv, and checks the shell handed over exactly `kubectlArguments`. Arguments
/// are printed NUL-terminated rather than one per line, so values containing newlines count too.
@Suite struct ShellRoundTripTests {
    static let odd = ["a'b", "$(rm -rf /)", "two words", "line\nbreak", "a;b", "☃ ünï", "", "`id`", "\"q\"", "\\", "*", "~", "!x", "#c", "a\tb", "'"]

    static var remediations: [Remediation] {
        let api = ObjectRef(kind: "Deployment", namespace: "prod", name: "api")
        var all = odd.map { value in
            Remediation(target: api, action: .setEnv(container: "app", variables: [.init(name: "V", value: value)]))
        }
        all += odd.map { value in
            Remediation(target: ObjectRef(kind: "Service", namespace: value, name: value), action: .patchSelector(selector: [value: value], remove: [value + "x"]))
        }
        all += [
            Remediation(target: api, action: .rolloutRestart),
            Remediation(target: api, action: .unsetEnv(container: nil, names: ["A", "B"])),
            Remediation(target: api, action: .setImage(container: "app", image: "reg.io/app@sha256:abc")),
            Remediation(target: api, action: .rolloutUndo(toRevision: 2)),
            Remediation(target: api, action: .setResources(container: "app", limits: ["memory": "256Mi", "cpu": "1"], requests: ["cpu": "250m"])),
            Remediation(target: api, action: .patchProbe(container: "app", probe: .startup, handler: .grpc, port: 9090)),
            Remediation(target: ObjectRef(kind: "Service", namespace: "prod", name: "api"),
                        action: .patchServicePort(index: 0, from: .int(8080), to: .string("http-alt"))),
            Remediation(target: api, action: .scale(replicas: 4)),
            Remediation(target: api, action: .deletePod(name: "api-1")),
        ]
        return all
    }

    @Test(arguments: remediations)
    func shellHandsKubectlExactlyTheArguments(_ remediation: Remediation) throws {
        let command = try #require(remediation.kubectlCommand)
        let expected = try #require(remediation.kubectlArguments)
        let output = try Self.runShell(#"kubectl() { printf '%s\0' kubectl "$@"; }; "# + command)
        var words = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        #expect(words.popLast() == "")
        #expect(words == expected)
    }

    /// Runs `script` with `/bin/sh -c`, killed after 10 s, so a hung shell cannot hang the suite.
    static func runShell(_ script: String) throws -> Data {
        let outcome = ChildProcess.runBlocking("/bin/sh", ["-c", script], environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"],
                                               timeout: .seconds(10))
        guard case .exited(let termination, let output) = outcome else {
            Issue.record("sh -c: \(outcome)")
            return Data()
        }
        #expect(termination == .exited(0))
        return output
    }
}
