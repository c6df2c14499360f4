import MedicKube

/// `patch-probe`: point a probe at the port the container actually serves. The patch names
/// the chosen handler and nulls the others, so switching handler (say httpGet to tcpSocket)
/// cannot leave a probe with two handlers, which the API rejects.
public struct PatchProbe: ActionDescriptor {
    public let container: String
    public let probe: ProbeKind
    public let handler: ProbeHandler
    public let port: Int

    public static var kind: ActionKind { .patchProbe }
    public static let parameters = ["container", "probe", "handler", "port"].map { ActionParameter($0, required: true) }
    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch")
    public static let example = PatchProbe(container: "app", probe: .liveness, handler: .httpGet, port: 8080)

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        let probeName = try values.string("probe")
        let handlerName = try values.string("handler")
        guard let probe = ProbeKind(rawValue: probeName) else {
            throw ActionBuildError("probe is '\(probeName)', not liveness, readiness or startup")
        }
        guard let handler = ProbeHandler(rawValue: handlerName) else {
            throw ActionBuildError("handler is '\(handlerName)', not httpGet, tcpSocket or grpc")
        }
        return try .validated(target, .patchProbe(container: try values.string("container"), probe: probe, handler: handler,
                                                  port: try values.int("port")))
    }

    public var reversal: Reversal { .restoreContainerField(probe.fieldName) }
    public var containerName: String? { container }

    private static let handlers = ["exec", "grpc", "httpGet", "tcpSocket"]

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        try validator.dnsLabel(container, "container name")
        guard (1...65535).contains(port) else {
            throw validator.refuse("port \(port) is outside 1-65535")
        }
    }

    /// `{"spec":{"template":{"spec":{"containers":[{"livenessProbe":{…},"name":"api"}]}}}}`
    var patch: JSON {
        var probeFields: [String: JSON] = [:]
        for other in Self.handlers where other != handler.rawValue {
            probeFields[other] = .null
        }
        probeFields[handler.rawValue] = .object(["port": .int(Int64(port))])
        return .object(["spec": .object(["template": .object(["spec": .object([
            "containers": .array([.object([probe.fieldName: .object(probeFields), "name": .string(container)])]),
        ])])])])
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["patch", target.kubectlType, target.name, "--type=strategic", "-p", patch.text]
    }

    /// `kubectl patch` sends `-p` verbatim, so the body is the same bytes.
    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-patch"),
            contentType: ContentType.strategicMergePatch,
            body: patch.serialized()
        )
    }
}

extension ActionKind {
    public static let patchProbe = ActionKind("patch-probe")
}

extension Action {
    public static func patchProbe(container: String, probe: ProbeKind, handler: ProbeHandler, port: Int) -> Action {
        Action(PatchProbe(container: container, probe: probe, handler: handler, port: port))
    }
}
