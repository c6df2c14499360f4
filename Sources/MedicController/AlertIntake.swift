import Foundation
import MedicKube

/// Alerts received from Alertmanager, folded by fingerprint, and the signal that wakes the
/// controller for a pass at once when a new one fires instead of waiting for the interval.
public actor AlertIntake {
    /// Firing alerts by fingerprint.
    public private(set) var firing: [String: AlertmanagerPayload.Alert] = [:]
    /// Yields once per notification that brought a new firing alert; wakes that arrive while
    /// nobody waits fold into one.
    public nonisolated let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init() {
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// What one notification changed.
    public struct Receipt: Sendable, Equatable {
        /// Alerts not firing before: each wakes the controller.
        public var new: Int = 0
        /// Re-sent alerts already firing: folded.
        public var repeated: Int = 0
        public var resolved: Int = 0

        public init(new: Int = 0, repeated: Int = 0, resolved: Int = 0) {
            self.new = new
            self.repeated = repeated
            self.resolved = resolved
        }
    }

    public func receive(_ payload: AlertmanagerPayload) -> Receipt {
        var receipt = Receipt()
        for alert in payload.alerts {
            switch alert.status {
            case .firing where firing[alert.fingerprint] == nil:
                firing[alert.fingerprint] = alert
                receipt.new += 1
            case .firing:
                firing[alert.fingerprint] = alert
                receipt.repeated += 1
            case .resolved:
                if firing.removeValue(forKey: alert.fingerprint) != nil { receipt.resolved += 1 }
            }
        }
        if receipt.new > 0 { wake.yield() }
        return receipt
    }
}
