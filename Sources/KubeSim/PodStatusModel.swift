import MedicKube
import Foundation

/// Decides the status a kubelet would report for a pod the simulator's controllers create.
///
/// This is the extension point for scenarios: a model that knows how an app behaves (image
/// missing, env var required, memory over limit, probe on a closed port) returns the status
/// a real kubelet would report for it, and the controllers react to readiness as a real
/// Deployment rollout does (old pods stay while new ones are not ready).
public protocol PodStatusModel: Sendable {
    /// The `status` of a freshly created pod. `pod` is complete except for `status`; `podIP`
    /// is the address the simulator allocated for it.
    func status(for pod: JSON, podIP: String, now: Date) -> JSON
}

/// Every container starts, runs and is ready at once: the kubelet of a healthy cluster.
public struct HealthyPods: PodStatusModel {
    public init() {}

    public func status(for pod: JSON, podIP: String, now: Date) -> JSON {
        let started = JSON.string(Timestamp.format(now))
        let containers = pod[path: ["spec", "containers"]]?.array ?? []
        let statuses: [JSON] = containers.map { container in
            let name = container["name"]?.string ?? ""
            let image = container["image"]?.string ?? ""
            return [
                "name": .string(name), "image": .string(image), "imageID": .string("docker.io/library/\(image)"),
                "containerID": .string("containerd://\(Timestamp.hexID(of: name + podIP))"),
                "ready": true, "started": true, "restartCount": 0,
                "state": ["running": ["startedAt": started]], "lastState": [:],
            ]
        }
        let condition = { (type: String) -> JSON in
            ["type": .string(type), "status": "True", "lastProbeTime": nil, "lastTransitionTime": started]
        }
        return [
            "phase": "Running", "podIP": .string(podIP), "podIPs": [["ip": .string(podIP)]],
            "hostIP": "10.0.0.1", "hostIPs": [["ip": "10.0.0.1"]], "startTime": started, "qosClass": "BestEffort",
            "conditions": .array(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
                .map(condition)),
            "containerStatuses": .array(statuses),
        ]
    }
}
