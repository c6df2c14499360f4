import Foundation
import MedicDiagnosis
import MedicKube
import MedicProm

/// What `medic run`'s passes keep between them, so that a pass woken by a watched change
/// costs what changed: each target's results and the metrics of the last sweep. A sweep (the first pass, then every `sweep` interval, an alert, a relist)
/// asks Prometheus and diagnoses every target; a pass between sweeps diagnoses only the
/// targets the changes touched, with the sweep's metrics at the instant they were fetched
/// (so a metric window never reaches past its data). Conditions on time alone (an age, a
/// "for 5m") are therefore decided at the next sweep for targets nothing touched.
actor PassMemory {
    private var memo = DiagnosisMemo()
    /// The last pass's view, whose facts about unchanged objects the next view reuses.
    private(set) var lastView: ClusterView?
    private var metrics: (data: [String: MetricData], at: Date)?
    private var lastSweep: Date?
    private let sweep: TimeInterval

    init(sweep: TimeInterval) {
        self.sweep = sweep
    }

    /// What a pass over `view` evaluates: nil when it must sweep (and fetch metrics), else the
    /// targets the changes touched.
    func targets(for view: ClusterView, changes: ClusterChanges?, at now: Date, forceSweep: Bool) -> Set<ObjectRef>? {
        guard !forceSweep, let changes, let lastSweep, metrics != nil,
              // A timer a little early still sweeps: it was set for the sweep.
              now.timeIntervalSince(lastSweep) < sweep * 0.9
        else { return nil }
        return view.targets(touchedBy: changes)
    }

    /// Diagnoses `view` (only `targets`, when set) against the results kept so far, and keeps
    /// this pass's. A sweep passes the metrics it fetched.
    func diagnose(_ view: ClusterView, with diagnoser: Diagnoser, metrics fetched: [String: MetricData]?,
                  options: Diagnoser.Options, only targets: Set<ObjectRef>?) -> DiagnosisReport {
        var options = options
        if let fetched {
            metrics = (fetched, options.now)
            lastSweep = options.now
        } else {
            options.metricsAt = metrics?.at
        }
        lastView = view
        return diagnoser.diagnose(view, metrics: metrics?.data ?? [:], options: options, memo: &memo, only: targets)
    }
}
