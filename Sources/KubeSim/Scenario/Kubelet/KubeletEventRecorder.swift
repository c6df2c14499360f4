import Foundation
import MedicKube

/// Writes the kubelet's core/v1 Events into the pod's namespace, aggregated as client-go's
/// correlator does: a repeat of the same reason and message for the same container bumps
/// `count` and `lastTimestamp` of the existing Event.
struct KubeletEventRecorder: Sendable {
    /// The node the pod runs on, as the kubelet names itself in `source.host`.
    static func host(of pod: JSON) -> String {
        pod[path: ["spec", "nodeName"]]?.string ?? ClusterNode.standard.name
    }

    /// "podUID|fieldPath|type|reason|message" → Event name, per pod uid.
    private var names: [String: [String: String]] = [:]

    mutating func record(_ event: KubeletEvent, pod: JSON, cluster: inout ClusterState) {
        let uid = ClusterState.uid(pod)
        let namespace = ClusterState.namespace(pod)
        let isInit = (pod[path: ["spec", "initContainers"]]?.array ?? []).contains { $0["name"]?.string == event.container }
        let fieldPath = "spec.\(isInit ? "initContainers" : "containers"){\(event.container)}"
        let key = [fieldPath, event.type, event.reason, event.message].joined(separator: "|")
        let timestamp = JSON.string(Timestamp.format(event.time))
        if let name = names[uid]?[key], var existing = cluster.get(.event, namespace: namespace, name: name) {
            existing["count"] = .int((existing["count"]?.int ?? 1) + 1)
            existing["lastTimestamp"] = timestamp
            cluster.commit(.event, existing, .modified, then: .none)
            return
        }
        let nanoseconds = UInt64(max(0, event.time.timeIntervalSince1970) * 1_000_000_000)
        var name = "\(ClusterState.name(pod)).\(String(nanoseconds, radix: 16))"
        var offset: UInt64 = 1
        while cluster.get(.event, namespace: namespace, name: name) != nil {
            name = "\(ClusterState.name(pod)).\(String(nanoseconds + offset, radix: 16))"
            offset += 1
        }
        let object: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string(ClusterState.newUID()),
                         "creationTimestamp": timestamp],
            "involvedObject": ["kind": "Pod", "namespace": .string(namespace), "name": .string(ClusterState.name(pod)),
                               "uid": .string(uid), "apiVersion": "v1",
                               "resourceVersion": pod[path: ["metadata", "resourceVersion"]] ?? "",
                               "fieldPath": .string(fieldPath)],
            "reason": .string(event.reason), "message": .string(event.message),
            "source": ["component": "kubelet", "host": .string(Self.host(of: pod))],
            "firstTimestamp": timestamp, "lastTimestamp": timestamp, "count": 1,
            "type": .string(event.type), "eventTime": nil,
            "reportingComponent": "kubelet", "reportingInstance": .string(Self.host(of: pod)),
        ]
        cluster.commit(.event, object, .added, then: .none)
        names[uid, default: [:]][key] = name
    }

    /// Stops aggregating for a deleted pod; its Events stay, as they do until their TTL.
    mutating func forget(podUID: String) {
        names[podUID] = nil
    }
}
