import MedicKube

/// `patch-probe`: point a probe at the port the container actually serves. The patch names
/// the chosen handler and nulls the others, so switching handler (say httpGet to tcpSocket)
/// cannot leave a probe with two handlers, which the API rejects.
struct PatchProbe: ActionRendering {
    let container: String
    let probe: ProbeKind
    let handler: ProbeHandler
    let port: Int

    private static let handlers = ["exec", "grpc", "httpGet", "tcpSocket"]

    func validate(_ validator: Validator) throws(RemediationError) {
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

    func arguments(for target: ObjectRef) -> [String] {
        ["patch", target.kubectlType, target.name, "--type=strategic", "-p", patch.text]
    }

    /// `kubectl patch` sends `-p` verbatim, so the body is the same bytes.
    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        APIRequest(
            method: "PATCH",
            path: target.targetKind!.path(namespace: target.namespace, name: target.name),
            query: options.query(fieldManager: "kubectl-patch"),
            contentType: ContentType.strategicMergePatch,
            body: patch.serialized()
        )
    }
}
