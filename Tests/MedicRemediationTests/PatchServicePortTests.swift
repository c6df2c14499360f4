import Foundation
import MedicKube
import MedicRemediation
import Testing

/// `patch-service-port`: what it refuses, how a runbook's port is resolved, and the request.
@Suite struct PatchServicePortTests {
    let validation = ValidationTests()

    func refusal(_ target: ObjectRef, _ action: Action) -> RemediationError? { validation.refusal(target, action) }

    func message(_ action: Action, on target: ObjectRef = ValidationTests.api) -> String? { validation.message(action, on: target) }

    @Test func servicePortsMustBeRealPorts() {
        let service = ObjectRef(kind: "Service", namespace: "shop", name: "gateway")
        let prefix = "patch-service-port on Service shop/gateway: "
        #expect(message(.patchServicePort(index: 0, from: .int(8080), to: .int(9090)), on: service) == nil)
        #expect(message(.patchServicePort(index: 0, from: .int(8080), to: .string("metrics-2")), on: service) == nil)
        #expect(message(.patchServicePort(index: 0, from: .int(8080), to: .int(9090)))
            == "patch-service-port on Deployment prod/api: patch-service-port needs a Service target, not a Deployment")
        #expect(message(.patchServicePort(index: 0, from: .int(8080), to: .int(0)), on: service) == prefix + "new targetPort 0 is outside 1-65535")
        #expect(message(.patchServicePort(index: 0, from: .int(8080), to: .int(65536)), on: service) == prefix + "new targetPort 65536 is outside 1-65535")
        #expect(message(.patchServicePort(index: 0, from: .int(0), to: .int(80)), on: service) == prefix + "current targetPort (from) 0 is outside 1-65535")
        #expect(message(.patchServicePort(index: -1, from: .int(8080), to: .int(80)), on: service)
            == prefix + "port index -1 is negative; it counts spec.ports from 0")
        #expect(message(.patchServicePort(index: 3, from: .int(8080), to: .int(8080)), on: service)
            == prefix + "targetPort of spec.ports[3] is already 8080; there is nothing to change")
        #expect(message(.patchServicePort(index: 0, from: .string("http"), to: .string("http")), on: service)
            == prefix + "targetPort of spec.ports[0] is already http; there is nothing to change")
        let rule = #"is not a valid port name: use at most 15 lowercase letters, digits and "-", with at least one letter, not starting or ending with "-" and without "--""#
        for bad in ["HTTP", "http_alt", "8080x-", "-http", "web--admin", "a-very-long-port-name", "", "1234", "h ttp", "a\u{0}"] {
            #expect(message(.patchServicePort(index: 0, from: .int(8080), to: .string(bad)), on: service)
                == prefix + "new targetPort \(String(reflecting: bad)) " + rule)
        }
        #expect(refusal(service, .patchServicePort(index: 0, from: .int(8080), to: .int(0)))?.code == .invalidParameter)
    }

    /// `Remediation.patchServicePort` resolves the port a runbook names against the Service's
    /// `spec.ports`, and refuses what the `test` op or the API would refuse anyway.
    @Test func servicePortIsResolvedByNameOrNumber() throws {
        let service = ObjectRef(kind: "Service", namespace: "shop", name: "gateway")
        let ports = [
            ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .int(8080)),
            ServicePort(name: "admin", protocol: "TCP", port: 9000, targetPort: .string("admin")),
            ServicePort(name: "dns-tcp", protocol: "TCP", port: 53, targetPort: .int(53)),
            ServicePort(name: "dns-udp", protocol: "UDP", port: 53, targetPort: .int(53)),
            ServicePort(name: "raw", port: 7000),
        ]
        func resolve(_ port: IntOrString, from: IntOrString, to: IntOrString) -> Result<Action, RemediationError> {
            Result { () throws(RemediationError) in
                try Remediation.patchServicePort(service, ports: ports, port: port, from: from, to: to).action
            }
        }
        #expect(try resolve(.string("http"), from: .int(8080), to: .int(3000)).get() == .patchServicePort(index: 0, from: .int(8080), to: .int(3000)))
        #expect(try resolve(.int(80), from: .int(8080), to: .string("web")).get() == .patchServicePort(index: 0, from: .int(8080), to: .string("web")))
        #expect(try resolve(.int(9000), from: .string("admin"), to: .int(9001)).get() == .patchServicePort(index: 1, from: .string("admin"), to: .int(9001)))
        // No targetPort written: the API fills in the port number, so that is what `from` is.
        #expect(try resolve(.string("raw"), from: .int(7000), to: .int(7001)).get() == .patchServicePort(index: 4, from: .int(7000), to: .int(7001)))

        let prefix = "patch-service-port on Service shop/gateway: "
        let listed = "its ports are http (80 → 8080), admin (9000 → admin), dns-tcp (53 → 53), dns-udp (53 → 53), raw (7000 → 7000)"
        #expect(resolve(.string("metrics"), from: .int(8080), to: .int(3000)).failure
            == RemediationError(.portNotFound, prefix + #"the Service has no port named "metrics"; "# + listed + ": name one of those"))
        #expect(resolve(.int(443), from: .int(8080), to: .int(3000)).failure
            == RemediationError(.portNotFound, prefix + "the Service has no port number 443; " + listed + ": name one of those"))
        #expect(resolve(.int(53), from: .int(53), to: .int(5353)).failure
            == RemediationError(.portNotFound, prefix + "port 53 is ambiguous: spec.ports 2 and 3 both expose it; name the port instead"))
        #expect(resolve(.string("http"), from: .int(3000), to: .int(9090)).failure
            == RemediationError(.invalidParameter, prefix + #"from is 3000, but spec.ports[0] (http) targets 8080 now, so the test op would refuse the patch: give from as the Service has it, e.g. "{{ service.ports[0].targetPort }}""#))
        #expect(resolve(.string("http"), from: .int(8080), to: .int(8080)).failure?.description
            == prefix + "targetPort of spec.ports[0] is already 8080; there is nothing to change")
        #expect(resolve(.string("http"), from: .int(8080), to: .int(0)).failure?.description == prefix + "new targetPort 0 is outside 1-65535")
        #expect(resolve(.string("http"), from: .int(8080), to: .string("Web_UI")).failure?.code == .invalidParameter)
        #expect(throws: RemediationError(.portNotFound, prefix + "the Service has no port named \"http\"; it has none: name one of those")) {
            try Remediation.patchServicePort(service, ports: [], port: .string("http"), from: .int(8080), to: .int(3000))
        }
        let deployment = ObjectRef(kind: "Deployment", namespace: "shop", name: "gateway")
        #expect(throws: RemediationError(.wrongTargetKind, "patch-service-port on Deployment shop/gateway: patch-service-port needs a Service target, not a Deployment")) {
            try Remediation.patchServicePort(deployment, ports: ports, port: .string("http"), from: .int(8080), to: .int(3000))
        }
    }

    /// `kubectl patch --type=json` sends its `-p` (k8s-api-facts §1.2, §1.3): a JSON Patch on the
    /// Service, the `test` of the old targetPort first; a named port stays a JSON string.
    @Test func patchServicePortJSONPatchesTheService() throws {
        let gateway = ObjectRef(kind: "Service", namespace: "shop", name: "gateway")
        let remediation = Remediation(target: gateway, action: .patchServicePort(index: 1, from: .string("http"), to: .int(3000)))
        let request = try remediation.apiRequest()
        #expect(request.method == "PATCH")
        #expect(request.path == "/api/v1/namespaces/shop/services/gateway")
        #expect(request.query == ["fieldManager": "kubectl-patch"])
        #expect(request.pathAndQuery == "/api/v1/namespaces/shop/services/gateway?fieldManager=kubectl-patch")
        #expect(request.contentType == "application/json-patch+json")
        #expect(Fixtures.text(request.body)
            == #"[{"op":"test","path":"/spec/ports/1/targetPort","value":"http"},{"op":"replace","path":"/spec/ports/1/targetPort","value":3000}]"#)
        #expect(Fixtures.text(request.body) == remediation.kubectlArguments?.last)
        let dry = try remediation.apiRequest(dryRun: true)
        #expect(dry.pathAndQuery == "/api/v1/namespaces/shop/services/gateway?dryRun=All&fieldManager=kubectl-patch")
        #expect(dry.body == request.body)
        // The body does not depend on the live object: a snapshot changes nothing.
        #expect(try remediation.apiRequest(current: Fixtures.web) == request)
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
