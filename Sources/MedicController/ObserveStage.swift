import Foundation
import MedicDiagnosis
import MedicKube
import MedicProm

/// What one pass saw: the cluster as read, the runbooks' findings on it, and the checks that
/// could not be decided.
struct Observation: Sendable {
    var view: ClusterView
    var findings: [Finding]
    var undecided: [UndecidedCheck]
    var incidents: [Incident]
    /// The service graph the incidents were grouped on (nil without findings).
    var graph: ServiceGraph?
    /// Metric queries that failed, one per distinct reason; the pass goes on without them.
    var errors: [PassError]
    /// What could not be read without stopping the pass (a log, an optional kind), one line
    /// per kind of problem with a count.
    var warnings: [String]
    /// The targets (workloads and Services) the runbooks were evaluated on; the others kept
    /// their results from earlier passes.
    var diagnosed: Int
    /// From a watched cache: the read this view came from and the one before it, and what
    /// changed between them (`DecisionMemo`). nil from a round of LISTs.
    var reads: (since: Int, read: Int)?
    var changes: ClusterChanges?
}

/// Observe and diagnose: read the cluster, ask Prometheus what the runbooks need, match.
struct ObserveStage: Sendable {
    var reader: KubeReader
    var namespace: String?
    var prometheus: PrometheusClient?
    var diagnoser: Diagnoser
    /// The policy's `entrypoints`, for incidents' impact.
    var entryPoints: [ObjectRef] = []
    /// Crash logs fetched by earlier passes, reused until the container crashes again.
    var logCache: CrashLogCache?
    /// The watched cache `medic run` keeps; nil: a round of LISTs each pass.
    var informer: ClusterInformer?
    /// Results kept from earlier passes; with `informer`, a pass between sweeps diagnoses
    /// only what changed. nil: every pass diagnoses everything.
    var memory: PassMemory?
    /// An alert came: ask Prometheus and look at everything.
    var forceSweep = false

    func run(at now: Date) async throws(PassError) -> Observation {
        let reading: ClusterSnapshotReader.Reading
        do {
            if let informer {
                reading = try await informer.read()
            } else {
                reading = try await ClusterSnapshotReader(reader: reader, namespace: namespace, logCache: logCache).read()
            }
        } catch {
            throw .observe(error.description)
        }
        var warnings = Warnings()
        warnings.add(contentsOf: reading.warnings)
        let view = await memory?.view(of: reading) ?? ClusterView(reading.snapshot)
        let options = Diagnoser.Options(now: now, namespace: namespace, entryPoints: entryPoints)
        let plan = await memory?.plan(for: view, changes: reading.changes, at: options.now, forceSweep: forceSweep)
        let targets = plan?.targets
        var errors: [PassError] = []
        var metrics: [String: MetricData]?
        if plan?.fetchesMetrics ?? true {
            let fetched = await MetricFetcher(client: prometheus).fetch(diagnoser.metricQueries, at: now)
            var unavailable = Set<String>()
            for (query, data) in fetched {
                if case .unavailable(let reason) = data, unavailable.insert(reason).inserted {
                    errors.append(.prometheus("\(query): \(reason)"))
                }
            }
            metrics = fetched
        }
        let diagnosis: DiagnosisReport
        if let memory {
            diagnosis = await memory.diagnose(view, with: diagnoser, metrics: metrics, options: options, only: targets)
            // The rest of a sweep spread over passes comes next, change or not.
            if await memory.sweeping { informer?.changes.signal() }
        } else {
            diagnosis = diagnoser.diagnose(view, metrics: metrics ?? [:], options: options)
        }
        return Observation(view: view, findings: diagnosis.findings, undecided: diagnosis.undecided,
                           incidents: diagnosis.incidents, graph: diagnosis.graph, errors: errors, warnings: warnings.lines,
                           diagnosed: targets?.count ?? view.workloads.count + view.services.count,
                           reads: reading.edits.map { ($0.since, $0.read) }, changes: reading.changes)
    }
}
