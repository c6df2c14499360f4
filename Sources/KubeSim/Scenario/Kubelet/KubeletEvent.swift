import Foundation

/// Something the kubelet reports about one container, at the simulated moment it happened.
struct KubeletEvent: Sendable, Equatable {
    var time: Date
    var container: String
    var type: String
    var reason: String
    var message: String

    static func normal(_ time: Date, _ container: String, _ reason: String, _ message: String) -> Self {
        Self(time: time, container: container, type: "Normal", reason: reason, message: message)
    }

    static func warning(_ time: Date, _ container: String, _ reason: String, _ message: String) -> Self {
        Self(time: time, container: container, type: "Warning", reason: reason, message: message)
    }
}
