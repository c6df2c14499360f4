/// How a probe reaches the container. Only the port-carrying handlers are listed: the
/// `probe-port` runbook fixes a wrong port, and `exec` probes have none.
public enum ProbeHandler: String, Sendable, Codable, CaseIterable {
    case httpGet, tcpSocket, grpc
}
