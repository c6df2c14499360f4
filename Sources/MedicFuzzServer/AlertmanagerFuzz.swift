import Foundation
import MedicController
import MedicFuzz

extension FuzzTarget {
    /// `AlertmanagerPayload.decode`, what the webhook runs on every POST body.
    public static let alertmanager = FuzzTarget(name: "alertmanager") { input in
        do throws(AlertmanagerPayload.Invalid) {
            let payload = try AlertmanagerPayload.decode(input)
            if let alert = payload.alerts.first(where: { $0.labels["alertname"] == nil }) {
                return FuzzViolation("accepted an alert without an alertname: \(alert.labels)")
            }
        } catch {
            guard !error.description.isEmpty else { return FuzzViolation("an invalid payload without a reason") }
        }
        return nil
    }
}
