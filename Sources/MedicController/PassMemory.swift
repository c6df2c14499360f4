import Foundation
import MedicDiagnosis
import MedicKube
import MedicProm

/// What `medic run`'s passes keep between them, so that a pass woken by a watched change
/// costs what changed: each target's results and the metrics of the last sweep. A pass
/// between sweeps diagnoses only the targets the changes touched, with the sweep's metrics at
/// the instant they were fetched (so a metric window never reaches past its data), plus those
/// whose crash logs came or went without a watched change (a fetch that failed before, a
/// crash loop the clock now sees), as a crash does: their namespace.
///
/// A sweep, every `sweep` interval, asks Prometheus and diagnoses again the targets whose last
/// evaluation read the clock (`DiagnosisMemo.clockBound`: a "for 3m", an age, a metric
/// window): no other target's results can change while nothing it is evaluated on changes.
/// Every `resyncEvery`-th sweep diagnoses every target, as client-go's informers resync: a
/// backstop for whatever a change might fail to mark. The first pass, an alert and a relist
/// diagnose everything at once.
///
/// A sweep of more than `sweepChunk` targets is spread over passes of that many targets
/// each, or a sixteenth of them when more (plus what changes touched), run one after another:
/// at 10,000 pods a whole sweep takes seconds, and a fault that lands meanwhile would wait
/// for it.
///
/// The service graph the incidents are grouped on is kept too, until a change reaches a
/// namespace (see `ClusterChanges.namespaces`), the workloads or Services come or go, or
/// the metrics are fetched again: pods' statuses, scaling and Events leave it as it was.
actor PassMemory {
    private var memo = DiagnosisMemo()
    /// What the service graph of the last diagnosed view was built from, which the next may
    /// share. Not the view itself: the next patch would copy every join they shared.
    private var lastInputs: ClusterView.GraphInputs?
    /// The view of the informer's last read, with that read's number: the next read's edits
    /// patch it (`ClusterView.patch(by:snapshot:)`) where it lies, or a whole build reuses its
    /// facts about unchanged objects. A pass's view is gone when the next pass reads, so this
    /// is then the only one.
    private var latest: (view: ClusterView, read: Int)?
    /// Views patched and built whole so far.
    private(set) var patchedViews = 0
    private(set) var builtViews = 0
    private var metrics: (data: [String: MetricData], at: Date)?
    private var lastSweep: Date?
    private let sweep: TimeInterval
    private let sweepChunk: Int
    private let resyncEvery: Int
    /// Sweeps on the timer so far.
    private var sweeps = 0
    /// The targets the sweep under way has yet to diagnose, the next ones last.
    private var unswept: [ObjectRef] = []
    /// How many of them each pass of that sweep diagnoses.
    private var chunk = 0
    /// Whether what the service graph is built from may have changed since the last
    /// diagnosis: a plan says so, the diagnosis after it clears it (a pass that failed in
    /// between leaves it set).
    private var graphStale = true

    init(sweep: TimeInterval, sweepChunk: Int = 250, resyncEvery: Int = 10) {
        self.sweep = sweep
        self.sweepChunk = sweepChunk
        self.resyncEvery = resyncEvery
    }

    /// The view of `reading`: the last read's view patched with what changed since, when the
    /// changes allow it, or built whole.
    func view(of reading: ClusterSnapshotReader.Reading) -> ClusterView {
        if let edits = reading.edits, latest?.read == edits.since, var view = latest.take()?.view {
            if view.patch(by: edits, snapshot: reading.snapshot) {
                latest = (view, edits.read)
                patchedViews += 1
                return view
            }
            latest = (view, edits.since)
        }
        let view = ClusterView(reading.snapshot, reusing: latest?.view)
        latest = reading.edits.map { (view, $0.read) }
        builtViews += 1
        return view
    }

    /// What a pass diagnoses, and whether it asks Prometheus first.
    struct Plan: Sendable, Equatable {
        /// nil: every target.
        var targets: Set<ObjectRef>?
        var fetchesMetrics: Bool
    }

    /// The targets the next sweep diagnoses again, short of a resync.
    var clockBound: Set<ObjectRef> { memo.clockBound }

    /// A sweep spread over passes is under way: the next pass should not wait for a change.
    var sweeping: Bool { !unswept.isEmpty }

    /// What a pass over `view` diagnoses: everything with fresh metrics, or what the changes
    /// touched and the sweep's next targets.
    func plan(for view: ClusterView, changes watched: ClusterChanges?, at now: Date, forceSweep: Bool) -> Plan {
        var changes = watched
        if let lastInputs { changes?.namespaces.formUnion(view.namespacesWithOtherCrashLogs(than: lastInputs)) }
        guard !forceSweep, let changes, let lastSweep, metrics != nil, var targets = view.targets(touchedBy: changes) else {
            unswept = []
            graphStale = true
            return Plan(targets: nil, fetchesMetrics: true)
        }
        // Already stale: the whole-view comparison would decide nothing.
        if !graphStale, !changes.namespaces.isEmpty || !(lastInputs.map(view.sharesGraphInputs) ?? false) { graphStale = true }
        var fetches = false
        // A timer a little early still sweeps: it was set for the sweep.
        if unswept.isEmpty, now.timeIntervalSince(lastSweep) >= sweep * 0.9 {
            sweeps += 1
            graphStale = true
            let due: [ObjectRef]
            if sweeps % resyncEvery == 0 {
                due = view.workloads.map(\.ref) + view.serviceRefs
                guard due.count > sweepChunk else { return Plan(targets: nil, fetchesMetrics: true) }
            } else {
                due = memo.clockBound.sorted { ($0.namespace, $0.name, $0.kind) < ($1.namespace, $1.name, $1.kind) }
            }
            unswept = due.reversed()
            chunk = Swift.max(sweepChunk, (due.count + 15) / 16)
            fetches = true
        }
        let next = unswept.suffix(chunk)
        unswept.removeLast(next.count)
        targets.formUnion(next)
        return Plan(targets: targets, fetchesMetrics: fetches)
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
        lastInputs = view.graphInputs
        defer { graphStale = false }
        return diagnoser.diagnose(view, metrics: metrics?.data ?? [:], options: options, memo: &memo, only: targets,
                                  sameGraph: fetched == nil && !graphStale)
    }
}
