import Foundation
import MedicDiagnosis
import MedicKube
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

    /// A memory after its first pass, a full sweep, at `start`.
    static func swept(chunk: Int) async -> PassMemory {
        let memory = PassMemory(sweep: 30, sweepChunk: chunk)
        let plan = await memory.plan(for: view, changes: ClusterChanges(), at: start, forceSweep: false)
        #expect(plan == .init(targets: nil, fetchesMetrics: true))
        _ = await memory.diagnose(view, with: Diagnoser(runbooks: []), metrics: [:], options: .init(now: start), only: nil)
        return memory
    }

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
}
