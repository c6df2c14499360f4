import MedicKube

/// `patch-service-port`: point one port of a Service at the container port that serves it. A
/// JSON Patch whose `test` op checks the old targetPort first, so a Service someone changed
/// in the meantime makes the request fail (422) instead of having that change overwritten.
public struct PatchServicePort: ActionDescriptor {
    public let index: Int
    public let from: IntOrString
    public let to: IntOrString

    public static var kind: ActionKind { .patchServicePort }
    /// A runbook names the port (`port`: its name or number) and gives the targetPort it has
    /// now (`from`); the builder resolves the port to its index in the Service's `spec.ports`.
    public static let parameters = ["port", "targetPort", "from"].map { ActionParameter($0, required: true) }
    public static let permissions = APIPermission.on([.service], "get", "patch")
    public static let example = PatchServicePort(index: 0, from: .int(8080), to: .int(9090))

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        let port = try values.port("port")
        let to = try values.port("targetPort")
        let from = try values.port("from")
        do {
            return try Remediation.patchServicePort(target, ports: values.servicePorts, port: port, from: from, to: to)
        } catch {
            throw ActionBuildError(error.description)
        }
    }

    /// The rollback tests for the value this wrote, so it puts the old one back only over
    /// medic's change, never over a later human edit.
    public var reversal: Reversal { .restore(pointer: path, test: Self.value(to)) }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireKind([.service])
        guard index >= 0 else {
            throw validator.refuse("port index \(index) is negative; it counts spec.ports from 0")
        }
        try validator.targetPort(from, "current targetPort (from)")
        try validator.targetPort(to, "new targetPort")
        if from == to {
            throw validator.refuse("targetPort of spec.ports[\(index)] is already \(to); there is nothing to change")
        }
    }

    var path: String { "/spec/ports/\(index)/targetPort" }

    /// `[{"op":"test","path":"/spec/ports/0/targetPort","value":8080},{"op":"replace",…,"value":9090}]`
    var patch: JSON {
        .array([
            .object(["op": .string("test"), "path": .string(path), "value": Self.value(from)]),
            .object(["op": .string("replace"), "path": .string(path), "value": Self.value(to)]),
        ])
    }

    /// A number stays a JSON number and a port name a JSON string, as the API stores them.
    static func value(_ port: IntOrString) -> JSON {
        switch port {
        case .int(let number): .int(Int64(number))
        case .string(let name): .string(name)
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["patch", target.kubectlType, target.name, "--type=json", "-p", patch.text]
    }

    /// `kubectl patch --type=json` sends `-p` as it is (re-encoded from YAML to JSON, which
    /// leaves this compact, key-sorted text unchanged), so the body is the same bytes.
    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: TargetKind.service.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-patch"),
            contentType: ContentType.jsonPatch,
            body: patch.serialized()
        )
    }
}

extension ActionKind {
    public static let patchServicePort = ActionKind("patch-service-port")
}

extension Action {
    /// On a Service: set `spec.ports[index].targetPort` to `to`, only if it is still `from`.
    public static func patchServicePort(index: Int, from: IntOrString, to: IntOrString) -> Action {
        Action(PatchServicePort(index: index, from: from, to: to))
    }
}

extension Remediation {
    /// `patch-service-port` on `target`, with the port a runbook names (its `name`, or its
    /// `port` number) resolved to its index in `ports`, the Service's `spec.ports` as last
    /// read. Refuses a port the Service does not have (or a number two of its ports share,
    /// say 53 over TCP and UDP), a `from` that is not the port's targetPort now (the `test`
    /// op would fail anyway), and whatever `validate()` refuses. An absent targetPort counts
    /// as the port number, which is what the API fills in.
    public static func patchServicePort(_ target: ObjectRef, ports: [ServicePort], port: IntOrString,
                                        from: IntOrString, to: IntOrString) throws(RemediationError) -> Remediation {
        let validator = Validator(actionType: PatchServicePort.kind.rawValue, target: target)
        try validator.requireKind([.service])
        let matches = ports.indices.filter { index in
            switch port {
            case .int(let number): ports[index].port == number
            case .string(let name): ports[index].name == name
            }
        }
        let listed = ports.isEmpty ? "it has none"
            : "its ports are " + ports.map { "\($0.name.map { "\($0) " } ?? "")(\($0.port) → \(Self.effectiveTargetPort($0)))" }
                .joined(separator: ", ")
        guard let index = matches.first else {
            let named = switch port {
            case .int(let number): "port number \(number)"
            case .string(let name): "port named \(validator.quoted(name))"
            }
            throw validator.refuse(.portNotFound, "the Service has no \(named); \(listed): name one of those")
        }
        guard matches.count == 1 else {
            throw validator.refuse(.portNotFound, "port \(port) is ambiguous: spec.ports \(matches.map(String.init).joined(separator: " and ")) \(matches.count == 2 ? "both" : "all") expose it; name the port instead")
        }
        let current = Self.effectiveTargetPort(ports[index])
        guard current == from else {
            throw validator.refuse("from is \(from), but spec.ports[\(index)] (\(port)) targets \(current) now, so the test op would refuse the patch: give from as the Service has it, e.g. \"{{ service.ports[\(index)].targetPort }}\"")
        }
        let remediation = Remediation(target: target, action: Action(PatchServicePort(index: index, from: from, to: to)))
        try remediation.validate()
        return remediation
    }

    private static func effectiveTargetPort(_ port: ServicePort) -> IntOrString {
        port.targetPort ?? .int(port.port)
    }
}

extension Validator {
    /// A Service targetPort as the API validates it: a number in 1-65535, or the name of a
    /// container port (an IANA service name: at most 15 lowercase letters, digits and "-",
    /// at least one letter, no "-" at either end or twice in a row).
    func targetPort(_ value: IntOrString, _ what: String) throws(RemediationError) {
        switch value {
        case .int(let number):
            guard (1...65535).contains(number) else {
                throw refuse("\(what) \(number) is outside 1-65535")
            }
        case .string(let name):
            let bytes = Array(name.utf8)
            let letter: (UInt8) -> Bool = { (0x61...0x7A).contains($0) }
            let digit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
            guard (1...15).contains(bytes.count), bytes.allSatisfy({ letter($0) || digit($0) || $0 == 0x2D }),
                  bytes.contains(where: letter), bytes.first != 0x2D, bytes.last != 0x2D, !name.contains("--")
            else {
                throw refuse("\(what) \(quoted(name)) is not a valid port name: use at most 15 lowercase letters, digits and \"-\", with at least one letter, not starting or ending with \"-\" and without \"--\"")
            }
        }
    }
}
