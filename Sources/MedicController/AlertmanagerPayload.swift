import Foundation
import MedicKube

/// One notification from Alertmanager's webhook receiver (payload version "4"): a group of
/// alerts, each firing or resolved, with the labels that name the objects they concern.
public struct AlertmanagerPayload: Sendable, Equatable {
    public var status: String
    public var receiver: String
    public var groupKey: String
    public var alerts: [Alert]

    public struct Alert: Sendable, Equatable {
        public var status: Status
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: Date?
        /// Alertmanager's fingerprint of the label set: the same alert re-sent every
        /// `repeat_interval` has the same one.
        public var fingerprint: String

        public enum Status: String, Sendable { case firing, resolved }

        public var name: String { labels["alertname"] ?? "" }

        /// The object the alert names, most specific first: a pod, then its workload, then a
        /// Service (`namespace` + `pod` / `deployment` / `statefulset` / `daemonset` / `service`).
        public var object: ObjectRef? {
            guard let namespace = labels["namespace"] else { return nil }
            for (label, kind) in [("pod", "Pod"), ("deployment", "Deployment"), ("statefulset", "StatefulSet"),
                                  ("daemonset", "DaemonSet"), ("service", "Service")] {
                if let name = labels[label], !name.isEmpty { return ObjectRef(kind: kind, namespace: namespace, name: name) }
            }
            return nil
        }
    }

    /// A body Alertmanager would not send, with the reason for the 400.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the webhook body; anything but a version-4 payload is `Invalid` with the field at fault.
    public static func decode(_ body: Data) throws(Invalid) -> AlertmanagerPayload {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw Invalid(description: "the body is not a JSON object")
        }
        guard let version = object["version"] as? String else { throw Invalid(description: "version: required, \"4\"") }
        guard version == "4" else { throw Invalid(description: "version: \"\(version)\" is not supported, only \"4\"") }
        guard let alerts = object["alerts"] as? [Any] else { throw Invalid(description: "alerts: required, a list") }
        var decoded: [Alert] = []
        for (index, item) in alerts.enumerated() {
            guard let alert = item as? [String: Any] else { throw Invalid(description: "alerts[\(index)]: not an object") }
            guard let statusText = alert["status"] as? String, let status = Alert.Status(rawValue: statusText) else {
                throw Invalid(description: "alerts[\(index)].status: required, firing or resolved")
            }
            guard let labels = alert["labels"] as? [String: String], labels["alertname"] != nil else {
                throw Invalid(description: "alerts[\(index)].labels: required, string values with an alertname")
            }
            let fingerprint = alert["fingerprint"] as? String
                ?? labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            decoded.append(Alert(status: status, labels: labels, annotations: alert["annotations"] as? [String: String] ?? [:],
                                 startsAt: (alert["startsAt"] as? String).flatMap(RFC3339.parse), fingerprint: fingerprint))
        }
        return AlertmanagerPayload(status: object["status"] as? String ?? "", receiver: object["receiver"] as? String ?? "",
                                   groupKey: object["groupKey"] as? String ?? "", alerts: decoded)
    }
}
