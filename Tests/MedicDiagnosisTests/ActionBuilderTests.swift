import MedicKube
import MedicRemediation
import MedicRunbook
import Testing
@testable import MedicDiagnosis

/// How a runbook's `remediate` action becomes a `Remediation` for one target: here
/// `patch-service-port`, whose port the builder resolves against the `service` variable.
@Suite struct ActionBuilderTests {
    static let gateway = ObjectRef(kind: "Service", namespace: "shop", name: "gateway")

    /// The `service` variable as ServiceView builds it: ports with name, port and targetPort.
    static let bindings: [String: CELValue] = [
        "service": .map([
            "name": .string("gateway"),
            "ports": .list([
                .map(["name": .string("http"), "port": .int(80), "targetPort": .int(8080)]),
                .map(["name": .string("admin"), "port": .int(9000), "targetPort": .string("admin")]),
            ]),
        ]),
        "served": .int(3000),
    ]

    static func spec(port: String, targetPort: String, from: String) throws -> Runbook.ActionSpec {
        let text = """
            apiVersion: medic.io/v1
            kind: Runbook
            metadata: {name: port-sample, severity: high, title: A sample}
            target: service
            detect:
              - id: always
                cel: "true"
            summary: "{{ service.name }}"
            remediate:
              - actions:
                  - action: patch-service-port
                    port: \(port)
                    targetPort: \(targetPort)
                    from: \(from)
            """
        return try #require(try RunbookLoader.parse(text, file: "runbooks/port-sample.yaml").remediation.first?.actions.first)
    }

    static func build(port: String, targetPort: String, from: String,
                      bindings: [String: CELValue] = bindings) throws -> Result<Remediation, ActionBuilder.Failure> {
        let spec = try spec(port: port, targetPort: targetPort, from: from)
        return Result { () throws(ActionBuilder.Failure) in
            try ActionBuilder.build(spec, target: gateway, bindings: bindings, functions: .standard)
        }
    }

    @Test func portIsResolvedToItsIndex() throws {
        #expect(try Self.build(port: "http", targetPort: "3000", from: "8080").get().action
            == .patchServicePort(index: 0, from: .int(8080), to: .int(3000)))
        #expect(try Self.build(port: "'{{ service.ports[1].port }}'", targetPort: "'{{ served }}'",
                               from: "'{{ service.ports[1].targetPort }}'").get().action
            == .patchServicePort(index: 1, from: .string("admin"), to: .int(3000)))
        #expect(try Self.build(port: "\"80\"", targetPort: "web", from: "'{{ service.ports[0].targetPort }}'").get()
            == Remediation(target: Self.gateway, action: .patchServicePort(index: 0, from: .int(8080), to: .string("web"))))
    }

    @Test func refusalsNameTheActionTargetAndFix() throws {
        let prefix = "patch-service-port on Service shop/gateway: "
        #expect(try Self.build(port: "metrics", targetPort: "3000", from: "8080").failure
            == prefix + #"the Service has no port named "metrics"; its ports are http (80 → 8080), admin (9000 → admin): name one of those"#)
        #expect(try Self.build(port: "http", targetPort: "0", from: "8080").failure == prefix + "new targetPort 0 is outside 1-65535")
        #expect(try Self.build(port: "http", targetPort: "70000", from: "8080").failure == prefix + "new targetPort 70000 is outside 1-65535")
        #expect(try Self.build(port: "http", targetPort: "Web_UI", from: "8080").failure?.hasPrefix(prefix + #"new targetPort "Web_UI" is not a valid port name"#) == true)
        #expect(try Self.build(port: "http", targetPort: "8080", from: "8080").failure
            == prefix + "targetPort of spec.ports[0] is already 8080; there is nothing to change")
        #expect(try Self.build(port: "http", targetPort: "3000", from: "3001").failure
            == prefix + #"from is 3001, but spec.ports[0] (http) targets 8080 now, so the test op would refuse the patch: give from as the Service has it, e.g. "{{ service.ports[0].targetPort }}""#)
        #expect(try Self.build(port: "http", targetPort: "'{{ missing }}'", from: "8080").failure?.hasPrefix("targetPort: ") == true)
        #expect(try Self.build(port: "http", targetPort: "'{{ null }}'", from: "8080").failure == "targetPort has no value")
        #expect(try Self.build(port: "http", targetPort: "3000", from: "8080", bindings: [:]).failure
            == prefix + #"the Service has no port named "http"; it has none: name one of those"#)
    }
}

private extension Result where Failure == ActionBuilder.Failure {
    var failure: String? {
        if case .failure(let error) = self { error.description } else { nil }
    }
}
