import Foundation
import MedicKube

/// How many replicas a workload ran before it was scaled to zero, from what the cluster kept:
/// the replicas of the last `kubectl apply` (the `last-applied-configuration` annotation: the
/// *declared* count, which a `kubectl scale` left behind), or the deployment controller's last
/// "Scaled down replica set … to 0 from N" event, which also says *when* it happened. Nil when
/// neither says: then nobody knows the right count, and medic does not guess one.
public struct PreviousReplicas: Sendable, Equatable {
    public static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

    public var replicas: Int?
    public var source: String
    /// The count is what the last apply declared, not only what once ran.
    public var declared: Bool
    /// When the controller scaled the workload to zero, when its event is still there.
    public var scaledDownAt: Date?

    public init(of workload: Workload, events: [Event]) {
        replicas = nil
        source = ""
        declared = false
        scaledDownAt = nil
        for event in events.reversed() where event.reason == "ScalingReplicaSet" {
            guard let message = event.message, let count = Self.scaledToZero(message) else { continue }
            (replicas, source, scaledDownAt) = (count, "event ScalingReplicaSet: \(message)", event.lastSeen)
            break
        }
        if let text = workload.metadata.annotations[Self.lastApplied], let data = text.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let spec = object["spec"] as? [String: Any], let count = spec["replicas"] as? Int, count > 0 {
            (replicas, source, declared) = (count, "the last kubectl apply set replicas: \(count)", true)
        }
    }

    /// N from "Scaled down replica set web-5d9c to 0 from 3" (Kubernetes 1.27 and later) or
    /// "Scaled down replica set web-5d9c from 3 to 0" (earlier and some distributions).
    static func scaledToZero(_ message: String) -> Int? {
        let patterns = [#"Scaled down replica set \S+ to 0 from (\d+)"#, #"Scaled down replica set \S+ from (\d+) to 0"#]
        for pattern in patterns {
            guard let range = message.range(of: pattern, options: .regularExpression) else { continue }
            let matched = message[range]
            let number = matched.split(separator: " ").compactMap { Int($0) }.first { $0 > 0 }
            if let number { return number }
        }
        return nil
    }
}
