import MedicKube
import MedicRemediation
import Testing

/// The kubectl command each action renders: argv and the shell-quoted text, namespace first.
@Suite struct CommandTests {
    static let api = ObjectRef(kind: "Deployment", namespace: "production", name: "auth-service")

    struct Case: Sendable, CustomTestStringConvertible {
        let target: ObjectRef
        let action: Action
        let argv: [String]
        let command: String

        init(_ target: ObjectRef, _ action: Action, _ argv: [String], _ command: String) {
            self.target = target
            self.action = action
            self.argv = argv
            self.command = command
        }

        var testDescription: String { command }
    }

    static let cases: [Case] = [
        Case(api, .rolloutRestart,
         ["kubectl", "-n", "production", "rollout", "restart", "deployment/auth-service"],
         "kubectl -n production rollout restart deployment/auth-service"),
        Case(api, .setEnv(container: "auth", variables: [.init(name: "POOL_SIZE", value: "40"), .init(name: "CHAOS_ENABLED", value: "0")]),
         ["kubectl", "-n", "production", "set", "env", "deployment/auth-service", "-c", "auth", "POOL_SIZE=40", "CHAOS_ENABLED=0"],
         "kubectl -n production set env deployment/auth-service -c auth POOL_SIZE=40 CHAOS_ENABLED=0"),
        Case(api, .setEnv(container: nil, variables: [.init(name: "GREETING", value: "hello world")]),
         ["kubectl", "-n", "production", "set", "env", "deployment/auth-service", "GREETING=hello world"],
         "kubectl -n production set env deployment/auth-service 'GREETING=hello world'"),
        Case(api, .unsetEnv(container: "auth", names: ["CHAOS_ENABLED"]),
         ["kubectl", "-n", "production", "set", "env", "deployment/auth-service", "-c", "auth", "CHAOS_ENABLED-"],
         "kubectl -n production set env deployment/auth-service -c auth CHAOS_ENABLED-"),
        Case(api, .setImage(container: "auth", image: "registry.example.com/auth:1.4.2"),
         ["kubectl", "-n", "production", "set", "image", "deployment/auth-service", "auth=registry.example.com/auth:1.4.2"],
         "kubectl -n production set image deployment/auth-service auth=registry.example.com/auth:1.4.2"),
        Case(api, .rolloutUndo(toRevision: nil),
         ["kubectl", "-n", "production", "rollout", "undo", "deployment/auth-service"],
         "kubectl -n production rollout undo deployment/auth-service"),
        Case(ObjectRef(kind: "StatefulSet", namespace: "data", name: "pg"), .rolloutUndo(toRevision: 3),
         ["kubectl", "-n", "data", "rollout", "undo", "statefulset/pg", "--to-revision=3"],
         "kubectl -n data rollout undo statefulset/pg --to-revision=3"),
        Case(api, .setResources(container: "auth", limits: ["memory": "128Mi"], requests: [:]),
         ["kubectl", "-n", "production", "set", "resources", "deployment/auth-service", "-c", "auth", "--limits=memory=128Mi"],
         "kubectl -n production set resources deployment/auth-service -c auth --limits=memory=128Mi"),
        Case(api, .setResources(container: nil, limits: ["memory": "256Mi", "cpu": "1"], requests: ["cpu": "100m"]),
         ["kubectl", "-n", "production", "set", "resources", "deployment/auth-service", "--limits=cpu=1,memory=256Mi", "--requests=cpu=100m"],
         "kubectl -n production set resources deployment/auth-service --limits=cpu=1,memory=256Mi --requests=cpu=100m"),
        Case(api, .patchProbe(container: "api", probe: .liveness, handler: .httpGet, port: 3000),
         ["kubectl", "-n", "production", "patch", "deployment", "auth-service", "--type=strategic", "-p",
          #"{"spec":{"template":{"spec":{"containers":[{"livenessProbe":{"exec":null,"grpc":null,"httpGet":{"port":3000},"tcpSocket":null},"name":"api"}]}}}}"#],
         #"kubectl -n production patch deployment auth-service --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"livenessProbe":{"exec":null,"grpc":null,"httpGet":{"port":3000},"tcpSocket":null},"name":"api"}]}}}}'"#),
        Case(ObjectRef(kind: "DaemonSet", namespace: "ops", name: "agent"), .patchProbe(container: "agent", probe: .readiness, handler: .tcpSocket, port: 9100),
         ["kubectl", "-n", "ops", "patch", "daemonset", "agent", "--type=strategic", "-p",
          #"{"spec":{"template":{"spec":{"containers":[{"name":"agent","readinessProbe":{"exec":null,"grpc":null,"httpGet":null,"tcpSocket":{"port":9100}}}]}}}}"#],
         #"kubectl -n ops patch daemonset agent --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"agent","readinessProbe":{"exec":null,"grpc":null,"httpGet":null,"tcpSocket":{"port":9100}}}]}}}}'"#),
        Case(ObjectRef(kind: "Service", namespace: "shop", name: "gateway"), .patchSelector(selector: ["app": "gateway", "tier": "edge"], remove: ["old"]),
         ["kubectl", "-n", "shop", "patch", "service", "gateway", "--type=merge", "-p", #"{"spec":{"selector":{"app":"gateway","old":null,"tier":"edge"}}}"#],
         #"kubectl -n shop patch service gateway --type=merge -p '{"spec":{"selector":{"app":"gateway","old":null,"tier":"edge"}}}'"#),
        Case(ObjectRef(kind: "Service", namespace: "shop", name: "gateway"), .patchServicePort(index: 0, from: .int(8080), to: .int(9090)),
         ["kubectl", "-n", "shop", "patch", "service", "gateway", "--type=json", "-p",
          #"[{"op":"test","path":"/spec/ports/0/targetPort","value":8080},{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]"#],
         #"kubectl -n shop patch service gateway --type=json -p '[{"op":"test","path":"/spec/ports/0/targetPort","value":8080},{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]'"#),
        Case(ObjectRef(kind: "Service", namespace: "shop", name: "gateway"), .patchServicePort(index: 2, from: .int(8080), to: .string("http-alt")),
         ["kubectl", "-n", "shop", "patch", "service", "gateway", "--type=json", "-p",
          #"[{"op":"test","path":"/spec/ports/2/targetPort","value":8080},{"op":"replace","path":"/spec/ports/2/targetPort","value":"http-alt"}]"#],
         #"kubectl -n shop patch service gateway --type=json -p '[{"op":"test","path":"/spec/ports/2/targetPort","value":8080},{"op":"replace","path":"/spec/ports/2/targetPort","value":"http-alt"}]'"#),
        Case(api, .scale(replicas: 5),
         ["kubectl", "-n", "production", "scale", "deployment/auth-service", "--replicas=5"],
         "kubectl -n production scale deployment/auth-service --replicas=5"),
        Case(api, .deletePod(name: "auth-service-7d9f8b6c4-x2x9z"),
         ["kubectl", "-n", "production", "delete", "pod", "auth-service-7d9f8b6c4-x2x9z"],
         "kubectl -n production delete pod auth-service-7d9f8b6c4-x2x9z"),
    ]

    @Test(arguments: cases)
    func rendersArgvAndQuotedCommand(_ example: Case) throws {
        let remediation = Remediation(target: example.target, action: example.action)
        try remediation.validate()
        #expect(remediation.kubectlArguments == example.argv)
        #expect(remediation.kubectlCommand == example.command)
    }

    @Test func notifyRendersNoCommand() throws {
        let remediation = Remediation(target: Self.api, action: .notify(message: "retries without backoff; needs a code fix"))
        try remediation.validate()
        #expect(remediation.kubectlArguments == nil)
        #expect(remediation.kubectlCommand == nil)
        #expect(remediation.action.isMutating == false)
    }

    @Test func typeIdsAreTheDocumentedOnes() {
        let actions: [Action] = [
            .rolloutRestart, .setEnv(container: nil, variables: []), .unsetEnv(container: nil, names: []),
            .setImage(container: "c", image: "i"), .rolloutUndo(toRevision: nil),
            .setResources(container: nil, limits: [:], requests: [:]),
            .patchProbe(container: "c", probe: .startup, handler: .grpc, port: 1),
            .patchSelector(selector: [:], remove: []), .patchServicePort(index: 0, from: .int(1), to: .int(2)),
            .scale(replicas: 1), .deletePod(name: "p"), .suspendSync(.fluxKustomization), .notify(message: "m"),
        ]
        #expect(actions.map(\.type) == [
            "rollout-restart", "set-env", "unset-env", "set-image", "rollout-undo", "set-resources",
            "patch-probe", "patch-selector", "patch-service-port", "scale", "delete-pod", "suspend-sync", "notify",
        ])
        #expect(actions.map(\.type) == ActionKind.allCases.map(\.rawValue))
        #expect(actions.map(\.isMutating) == Array(repeating: true, count: 12) + [false])
    }

    @Test func oddValuesAreQuotedOnePerArgument() {
        let remediation = Remediation(target: Self.api, action: .setEnv(container: "auth", variables: [
            .init(name: "A", value: "a'b"), .init(name: "B", value: "$(rm -rf /)"), .init(name: "C", value: ""),
            .init(name: "D", value: "x;y"), .init(name: "E", value: "line\nbreak"), .init(name: "F", value: "☃ ünï"),
        ]))
        #expect(remediation.kubectlCommand == """
            kubectl -n production set env deployment/auth-service -c auth 'A=a'"'"'b' 'B=$(rm -rf /)' C= 'D=x;y' 'E=line
            break' 'F=☃ ünï'
            """)
    }

    /// The command and approval hash are rendered when the remediation is made and again on
    /// every change (a cap lowers a replica count): never a stale one.
    @Test func renderedCommandsFollowChanges() {
        var remediation = Remediation(target: Self.api, action: .scale(replicas: 10))
        let before = (remediation.kubectlCommand, remediation.redactedCommand, remediation.approvalHash)
        remediation.action = .scale(replicas: 4)
        #expect(remediation.kubectlCommand == "kubectl -n production scale deployment/auth-service --replicas=4")
        #expect(remediation.redactedCommand == remediation.kubectlCommand)
        #expect(remediation.approvalHash != before.2)
        #expect(remediation == Remediation(target: Self.api, action: .scale(replicas: 4)))
        #expect(remediation.approvalHash == Remediation(target: Self.api, action: .scale(replicas: 4)).approvalHash)
        remediation.target.name = "billing"
        #expect(remediation.kubectlCommand == "kubectl -n production scale deployment/billing --replicas=4")
        remediation.action = .scale(replicas: 10)
        remediation.target = Self.api
        #expect((remediation.kubectlCommand, remediation.redactedCommand, remediation.approvalHash) == before)
        #expect(remediation.approvalHash(request: nil) == remediation.approvalHash)
        #expect(remediation.approvalHash(request: "{}") != remediation.approvalHash)
        // A secret value is masked in what is shown and kept whole in what is approved.
        let secret = Remediation(target: Self.api, action: .setEnv(container: nil, variables: [.init(name: "DB_PASSWORD", value: "hunter2")]))
        #expect(secret.kubectlCommand?.contains("hunter2") == true)
        #expect(secret.redactedCommand?.contains("hunter2") == false)
    }
}
