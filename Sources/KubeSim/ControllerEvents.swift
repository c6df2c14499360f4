import Foundation
import MedicKube

/// Events the control plane records about an object: the legacy core/v1 recorder the
/// ReplicaSet and Deployment controllers use (`source.component`, `count`, `lastTimestamp`),
/// and the events.k8s.io recorder kube-scheduler uses (`eventTime`, `action`, a `series` on
/// repeats, no `source`). A repeat of the same reason and message about the same object
/// updates the existing Event, as client-go's correlator and the event series do.
extension ClusterState {
    enum EventStyle: Sendable {
        /// `record.EventRecorder` of a controller-manager loop (`replicaset-controller`).
        case legacy(component: String)
        /// `events.EventRecorder` of kube-scheduler: `action` is the verb (`Scheduling`).
        case series(controller: String, instance: String, action: String)
    }

    mutating func recordEvent(about object: JSON, type resource: ResourceType, style: EventStyle,
                              eventType: String, reason: String, message: String) {
        let namespace = resource.namespaced ? Self.namespace(object) : "default"
        let uid = Self.uid(object)
        let now = clock()
        let existing = list(.event, namespace: namespace).last { event in
            event[path: ["involvedObject", "uid"]]?.string == uid && event["reason"]?.string == reason
                && event["message"]?.string == message && event["type"]?.string == eventType
        }
        if var event = existing {
            switch style {
            case .legacy:
                event["count"] = .int((event["count"]?.int ?? 1) + 1)
                event["lastTimestamp"] = .string(Timestamp.format(now))
            case .series:
                let count = (event[path: ["series", "count"]]?.int ?? 1) + 1
                event["series"] = ["count": .int(count), "lastObservedTime": .string(Self.microTime(now))]
            }
            commit(.event, event, .modified, then: .none)
            return
        }
        let nanoseconds = UInt64(max(0, now.timeIntervalSince1970) * 1_000_000_000)
        var offset: UInt64 = 0
        var name = ""
        repeat {
            name = "\(Self.name(object)).\(String(nanoseconds + offset, radix: 16))"
            offset += 1
        } while get(.event, namespace: namespace, name: name) != nil
        var involved: JSON = ["kind": .string(resource.kind), "name": .string(Self.name(object)), "uid": .string(uid),
                              "apiVersion": .string(resource.apiVersion),
                              "resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? ""]
        if resource.namespaced { involved["namespace"] = .string(namespace) }
        var event: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string(Self.newUID()),
                         "creationTimestamp": .string(Timestamp.format(now))],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message), "type": .string(eventType),
        ]
        switch style {
        case .legacy(let component):
            event["source"] = ["component": .string(component)]
            event["firstTimestamp"] = .string(Timestamp.format(now))
            event["lastTimestamp"] = .string(Timestamp.format(now))
            event["count"] = 1
            event["eventTime"] = .null
            event["reportingComponent"] = .string(component)
            event["reportingInstance"] = ""
        case .series(let controller, let instance, let action):
            event["source"] = [:]
            event["firstTimestamp"] = .null
            event["lastTimestamp"] = .null
            event["eventTime"] = .string(Self.microTime(now))
            event["action"] = .string(action)
            event["reportingComponent"] = .string(controller)
            event["reportingInstance"] = .string(instance)
        }
        commit(.event, event, .added, then: .none)
    }

    /// `metav1.MicroTime`: `2006-01-02T15:04:05.000000Z`.
    static func microTime(_ date: Date) -> String {
        let seconds = Timestamp.format(date).dropLast()
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        return "\(seconds).\(String(format: "%06d", micros))Z"
    }
}
