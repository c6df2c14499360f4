import Foundation

/// The log of one container, saved inside a snapshot so an incident replays offline with the
/// evidence a live read had. In a List it is an item of medic's own kind:
/// `{"apiVersion":"medic.io/v1","kind":"PodLog","metadata":{"namespace":"shop","name":"web-7d9f"},
///   "container":"app","previous":true,"log":"…"}` (`metadata.name` is the pod's name).
public struct PodLog: Codable, Sendable, Hashable {
    public static let apiVersion = "medic.io/v1"
    public static let kind = "PodLog"

    public var apiVersion: String?
    public var kind: String?
    /// The pod's namespace and name.
    public var metadata: ObjectMeta
    public var container: String
    /// True for the container instance before the last restart (`kubectl logs --previous`).
    public var previous: Bool
    public var log: String

    public init(namespace: String, pod: String, container: String, previous: Bool, log: String) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = ObjectMeta(name: pod, namespace: namespace)
        self.container = container
        self.previous = previous
        self.log = log
    }

    /// Unique within a snapshot: one log per pod, container and instance.
    var key: String { "\(metadata.namespace ?? "")/\(metadata.name)/\(container)/\(previous)" }
}
