import Foundation
import MedicKube

/// Tells the people who look at the object itself (`kubectl describe`, dashboards) what medic
/// did to it: a core/v1 Event on the touched object, shaped as client-go's recorder makes
/// them, so every tool that lists events shows medic's next to the kubelet's.
public struct EventRecorder: Sendable {
    /// The reasons medic reports; part of its interface (alerts and dashboards filter on them).
    public enum Reason: String, Sendable, CaseIterable {
        /// An action waits for a human's approval; the message names its id.
        case proposed = "MedicProposed"
        case applied = "MedicApplied"
        case verified = "MedicVerified"
        case rolledBack = "MedicRolledBack"
        case denied = "MedicDenied"

        /// `Warning` for what a human should look at, `Normal` otherwise.
        public var type: String {
            switch self {
            case .proposed, .applied, .verified: "Normal"
            case .rolledBack, .denied: "Warning"
            }
        }
    }

    public var writer: KubeWriter
    /// `source.component` and `reportingComponent`.
    public var component: String
    /// `source.host` and `reportingInstance`: which medic replica (pod name) reported it.
    public var instance: String
    public var clock: @Sendable () -> Date

    public init(writer: KubeWriter, component: String = "medic", instance: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.writer = writer
        self.component = component
        self.instance = instance
        self.clock = clock
    }

    /// The Event as it is sent: named `<object>.<nanoseconds in hex>`, in the object's
    /// namespace, `count` 1, timestamps in whole seconds, no `eventTime` (a legacy event, so
    /// the strict validation of new-style events does not apply).
    public func event(_ reason: Reason, message: String, on target: ObjectRef, uid: String? = nil) -> Event {
        let now = clock()
        let seconds = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let nanos = UInt64(max(0, now.timeIntervalSince1970) * 1_000_000_000)
        let apiVersion = KubeResource.known(kind: target.kind)?.apiVersion
        return Event(
            metadata: ObjectMeta(name: "\(target.name).\(String(nanos, radix: 16))", namespace: target.namespace),
            involvedObject: ObjectReference(kind: target.kind, namespace: target.namespace, name: target.name, uid: uid,
                                            apiVersion: apiVersion),
            // Events are readable by anyone who may list them: no secret value goes in one.
            reason: reason.rawValue, message: String(Redaction.redact(message).prefix(1024)), type: reason.type, count: 1,
            firstTimestamp: seconds, lastTimestamp: seconds,
            source: EventSource(component: component, host: instance),
            reportingComponent: component, reportingInstance: instance
        )
    }

    /// Creates the Event; a failure is returned for the pass report, never thrown: an Event
    /// is commentary, and the audit log already holds the record.
    public func record(_ reason: Reason, message: String, on target: ObjectRef, uid: String? = nil) async -> KubeAPIError? {
        do {
            _ = try await writer.create(event(reason, message: message, on: target, uid: uid), namespace: target.namespace)
            return nil
        } catch {
            return error
        }
    }
}
