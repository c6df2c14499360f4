import MedicKube

/// What the kubelet said about a probe: its `Unhealthy` events ("Liveness probe failed: …") for
/// one container, and whether they show the port refusing connections, the signature of a
/// probe aimed at a port nothing listens on.
public struct ProbeFailures: Sendable {
    public var count = 0
    public var refused = false
    public var lastMessage = ""

    public init(probe kind: String, container: String, port: Int?, events: [Event]) {
        let prefix = "\(kind.prefix(1).uppercased())\(kind.dropFirst()) probe failed:"
        for event in events where event.reason == "Unhealthy" {
            let message = event.message ?? ""
            guard message.hasPrefix(prefix) else { continue }
            if let fieldPath = event.involvedObject.fieldPath, !fieldPath.isEmpty,
               fieldPath != "spec.containers{\(container)}" { continue }
            count += max(1, event.occurrences)
            lastMessage = message
            if message.contains("connection refused"), port.map({ message.contains(":\($0)") }) ?? true {
                refused = true
            }
        }
    }
}
