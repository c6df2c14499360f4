import Foundation
import MedicKube

/// Alerts received from Alertmanager, folded by fingerprint, and the signal that wakes the
/// controller for a pass at once when a new one fires (or one resolves) instead of waiting for
/// the interval. The next pass takes what arrived (`take`) and reports back the incidents it
/// linked to each firing alert (`opened`), which that alert's resolve closes.
public actor AlertIntake {
    /// Firing alerts by fingerprint.
    public private(set) var firing: [String: AlertmanagerPayload.Alert] = [:]
    /// New firing alerts no pass has diagnosed yet, in arrival order.
    private var undiagnosed: [AlertmanagerPayload.Alert] = []
    private var resolved: [AlertmanagerPayload.Alert] = []
    /// medic's open incidents per firing alert, from the pass it started.
    private var incidents: [String: [String]] = [:]
    /// Ends the controller's wait for its next pass.
    private let wakeup = Wakeup()

    public init() {}

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
                undiagnosed.append(alert)
                receipt.new += 1
            case .firing:
                firing[alert.fingerprint] = alert
                receipt.repeated += 1
            case .resolved:
                if firing.removeValue(forKey: alert.fingerprint) != nil {
                    undiagnosed.removeAll { $0.fingerprint == alert.fingerprint }
                    resolved.append(alert)
                    receipt.resolved += 1
                }
            }
        }
        if receipt.new > 0 || receipt.resolved > 0 { wakeup.signal() }
        return receipt
    }

    /// Returns once a notification brought a new firing or a resolved alert: at once when one
    /// did since the last return (wakes meanwhile fold into one), early when the task is
    /// cancelled.
    public func nextWake() async {
        await wakeup.wait()
    }

    /// What a pass has to answer: the alerts that fired since the last one, and those resolved
    /// since, each with the incidents it had opened (now closed and forgotten).
    public struct Batch: Sendable {
        public var firing: [AlertmanagerPayload.Alert] = []
        public var resolved: [(alert: AlertmanagerPayload.Alert, incidents: [String])] = []

        public init(firing: [AlertmanagerPayload.Alert] = [], resolved: [(alert: AlertmanagerPayload.Alert, incidents: [String])] = []) {
            self.firing = firing
            self.resolved = resolved
        }
    }

    /// Hands the next pass what arrived since the last one.
    public func take() -> Batch {
        defer { undiagnosed = []; resolved = [] }
        return Batch(firing: undiagnosed,
                     resolved: resolved.map { ($0, incidents.removeValue(forKey: $0.fingerprint) ?? []) })
    }

    /// The incidents a pass linked to a firing alert; ignored when it resolved meanwhile.
    public func opened(_ incidents: [String], for fingerprint: String) {
        guard firing[fingerprint] != nil else { return }
        self.incidents[fingerprint] = incidents
    }
}
