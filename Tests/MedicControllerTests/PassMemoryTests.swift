import Foundation
import MedicDiagnosis
import MedicKube
import MedicRunbook
import Testing
@testable import MedicController

/// How `medic run` with an informer decides what a pass diagnoses.
@Suite struct PassMemoryTests {
    /// Seven Deployments: seven targets.
    static let snapshot: Snapshot = {
        var snapshot = Snapshot()
        for index in 0..<7 {
            snapshot.deployments.append(Deployment(
                metadata: ObjectMeta(name: "app-\(index)", namespace: "shop"),
                spec: .init(selector: .init(matchLabels: ["app": "app-\(index)"]),
                            template: .init(metadata: .init(labels: ["app": "app-\(index)"]), spec: .init()))))
        }
        return snapshot
    }()

    static let view = ClusterView(snapshot)

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A memory after its first pass, a full sweep, at `start`. `resyncEvery: 1`: every sweep
    /// diagnoses every target.
    static func swept(chunk: Int, resyncEvery: Int = 1, diagnoser: Diagnoser = Diagnoser(runbooks: [])) async -> PassMemory {
        let memory = PassMemory(sweep: 30, sweepChunk: chunk, resyncEvery: resyncEvery)
        let plan = await memory.plan(for: view, changes: ClusterChanges(), at: start, forceSweep: false)
        #expect(plan == .init(targets: nil, fetchesMetrics: true))
        _ = await memory.diagnose(view, with: diagnoser, metrics: [:], options: .init(now: start), only: nil)
        return memory
    }

    /// Reads the clock on app-1 and app-2 only: the others' results cannot change with time.
    static let aging = Diagnoser(runbooks: [try! RunbookLoader.parse("""
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: aging, severity: low, title: An old app}
        target: workload
        detect:
          - id: old
            cel: 'workload.name in ["app-1", "app-2"] ? now - timestamp("2020-01-01T00:00:00Z") > duration("1h") : false'
        summary: "{{ workload.name }} is old"
        remediate:
          - actions:
              - action: notify
                message: old
        """, file: "aging.yaml")])

    @Test func aSweepOfMoreTargetsThanAChunkIsSpreadOverPassesThatFollowEachOther() async {
        let memory = await Self.swept(chunk: 3)
        let changed = ObjectRef(kind: "Deployment", namespace: "shop", name: "app-6")
        // Between sweeps: only what changed.
        let between = await memory.plan(for: Self.view, changes: ClusterChanges(objects: [changed]),
                                        at: Self.start + 5, forceSweep: false)
        #expect(between == .init(targets: [changed], fetchesMetrics: false))
        #expect(await !memory.sweeping)

        // The sweep is due: metrics first, then three targets per pass until all seven.
        var seen = Set<ObjectRef>()
        var fetches: [Bool] = []
        var now = Self.start + 30
        repeat {
            let plan = await memory.plan(for: Self.view, changes: ClusterChanges(), at: now, forceSweep: false)
            let targets = plan.targets ?? []
            #expect(targets.count <= 3)
            seen.formUnion(targets)
            fetches.append(plan.fetchesMetrics)
            _ = await memory.diagnose(Self.view, with: Diagnoser(runbooks: []), metrics: plan.fetchesMetrics ? [:] : nil,
                                      options: .init(now: now), only: plan.targets)
            now += 0.5
        } while await memory.sweeping
        #expect(fetches == [true, false, false])
        #expect(seen == Set(Self.view.workloads.map(\.ref)))

        // The next pass without a change diagnoses nothing: the sweep is done.
        let after = await memory.plan(for: Self.view, changes: ClusterChanges(), at: now, forceSweep: false)
        #expect(after == .init(targets: [], fetchesMetrics: false))
    }

    @Test func anAlertOrARelistDiagnosesEverythingAtOnceAndEndsASpreadSweep() async {
        let memory = await Self.swept(chunk: 3)
        _ = await memory.plan(for: Self.view, changes: ClusterChanges(), at: Self.start + 30, forceSweep: false)
        #expect(await memory.sweeping)
        let alert = await memory.plan(for: Self.view, changes: ClusterChanges(), at: Self.start + 31, forceSweep: true)
        #expect(alert == .init(targets: nil, fetchesMetrics: true))
        #expect(await !memory.sweeping)
        let relist = await memory.plan(for: Self.view, changes: nil, at: Self.start + 32, forceSweep: false)
        #expect(relist == .init(targets: nil, fetchesMetrics: true))
    }

    @Test func aClusterNoLargerThanAChunkSweepsInOnePass() async {
        let memory = await Self.swept(chunk: 7)
        let plan = await memory.plan(for: Self.view, changes: ClusterChanges(), at: Self.start + 30, forceSweep: false)
        #expect(plan == .init(targets: nil, fetchesMetrics: true))
        #expect(await !memory.sweeping)
    }

    @Test func aReadingsEditsPatchTheLastReadsViewOtherwiseItIsBuiltWhole() async {
        let memory = PassMemory(sweep: 30)
        var first = ClusterEdits(since: 0, read: 1)
        first.incomplete = true
        _ = await memory.view(of: .init(snapshot: Self.snapshot, edits: first))
        #expect(await memory.builtViews == 1)

        // A scale between reads 1 and 2: the view of read 1, patched.
        var scaled = Self.snapshot
        scaled.deployments[0].spec.replicas = 3
        let ref = scaled.deployments[0].ref
        var edits = ClusterEdits(since: 1, read: 2)
        edits.deployments[ref] = .init(old: Self.snapshot.deployments[0], new: scaled.deployments[0])
        let patched = await memory.view(of: .init(snapshot: scaled, edits: edits))
        #expect(patched.workload(ref)?.desiredReplicas == 3)
        #expect(await memory.patchedViews == 1)
        #expect(await memory.builtViews == 1)

        // Edits from a read whose view was never built, or a round of LISTs: built whole.
        let skipped = ClusterEdits(since: 5, read: 6)
        let whole = await memory.view(of: .init(snapshot: scaled, edits: skipped))
        #expect(whole.workload(ref)?.desiredReplicas == 3)
        _ = await memory.view(of: .init(snapshot: scaled))
        #expect(await memory.patchedViews == 1)
        #expect(await memory.builtViews == 3)
    }

    /// Between resyncs a sweep diagnoses only the targets whose last evaluation read the
    /// clock; every `resyncEvery`-th sweep diagnoses them all.
    @Test func aSweepDiagnosesTheTargetsThatReadTheClockAndAResyncAllOfThem() async throws {
        let memory = await Self.swept(chunk: 7, resyncEvery: 3, diagnoser: Self.aging)
        let clockBound = Set(["app-1", "app-2"].map { ObjectRef(kind: "Deployment", namespace: "shop", name: $0) })
        #expect(await memory.clockBound == clockBound)
        var plans: [PassMemory.Plan] = []
        for sweep in 1...3 {
            let now = Self.start + Double(30 * sweep)
            let plan = await memory.plan(for: Self.view, changes: ClusterChanges(), at: now, forceSweep: false)
            plans.append(plan)
            _ = await memory.diagnose(Self.view, with: Self.aging, metrics: plan.fetchesMetrics ? [:] : nil,
                                      options: .init(now: now), only: plan.targets)
        }
        #expect(plans == [.init(targets: clockBound, fetchesMetrics: true), .init(targets: clockBound, fetchesMetrics: true),
                          .init(targets: nil, fetchesMetrics: true)])
        #expect(await memory.clockBound == clockBound)
    }

    /// Crash logs can come or go with no watched change (a fetch that failed before): the
    /// next pass diagnoses their namespace, as a crash's.
    @Test func crashLogsThatCameWithoutAChangeTouchTheirNamespace() async throws {
        let memory = await Self.swept(chunk: 7)
        var snapshot = Self.snapshot
        snapshot.podLogs = [PodLog(namespace: "shop", pod: "app-3-abc", container: "app", previous: true, log: "panic")]
        let view = ClusterView(snapshot)
        let plan = await memory.plan(for: view, changes: ClusterChanges(), at: Self.start + 5, forceSweep: false)
        #expect(plan == .init(targets: Set(view.workloads.map(\.ref)), fetchesMetrics: false))
        _ = await memory.diagnose(view, with: Diagnoser(runbooks: []), metrics: nil, options: .init(now: Self.start + 5),
                                  only: plan.targets)
        // Seen once: the next pass is back to what changed.
        let next = await memory.plan(for: view, changes: ClusterChanges(), at: Self.start + 6, forceSweep: false)
        #expect(next == .init(targets: [], fetchesMetrics: false))
    }
}
