import Foundation
import MedicKube
import MedicProm
import MedicRunbook
import Testing
@testable import MedicDiagnosis

/// `medic run` between sweeps diagnoses only the targets a watched change touched and keeps
/// the rest from the last pass. That is only sound if it gives the report a full diagnosis
/// gives: checked on every corpus cluster, for changes of each kind the informer sees (an
/// object added, deleted, or changed the way faults and churn change them), with the last
/// pass's service graph kept when `PassMemory` keeps it.
@Suite struct IncrementalDiagnosisTests {
    /// One change to a cluster: the snapshot after it, and what the informer records for it.
    struct Change {
        var what: String
        var after: Snapshot
        var changes: ClusterChanges
    }

    /// For each kind the informer watches: its first object deleted, and (for pods, Deployments
    /// and Services) changed as a crash, a scale and a broken selector change them.
    static func changes(of snapshot: Snapshot) -> [Change] {
        var result: [Change] = []
        func delete<Object: KubeObject>(_ path: WritableKeyPath<Snapshot, [Object]>) {
            guard let object = snapshot[keyPath: path].first else { return }
            var after = snapshot
            after[keyPath: path].removeFirst()
            result.append(Change(what: "delete \(Object.resource.kind) \(object.metadata.name)", after: after,
                                 changes: .of(object, old: nil)))
        }
        func modify<Object: KubeObject>(_ path: WritableKeyPath<Snapshot, [Object]>, _ what: String,
                                        _ change: (inout Object) -> Void) {
            guard let object = snapshot[keyPath: path].last else { return }
            var changed = object
            change(&changed)
            var after = snapshot
            after[keyPath: path][after[keyPath: path].count - 1] = changed
            result.append(Change(what: "\(what) \(Object.resource.kind) \(object.metadata.name)", after: after,
                                 changes: .of(changed, old: object)))
        }
        delete(\.pods)
        // A deleted pod's crash logs go with it: a read fetches logs of the pods it has.
        if let pod = snapshot.pods.first, var last = result.popLast() {
            last.after.podLogs.removeAll { $0.metadata.name == pod.metadata.name && $0.metadata.namespace == pod.metadata.namespace }
            result.append(last)
        }
        delete(\.deployments)
        delete(\.replicaSets)
        delete(\.statefulSets)
        delete(\.daemonSets)
        delete(\.services)
        delete(\.endpoints)
        delete(\.events)
        delete(\.configMaps)
        delete(\.networkPolicies)
        delete(\.ingresses)
        delete(\.httpRoutes)
        // A changed object has a new resourceVersion, as on a server: the next view reuses
        // what it derived from the objects whose version it saw before.
        modify(\.pods, "crash") { pod in
            pod.metadata.resourceVersion = "changed"
            guard !pod.status.containerStatuses.isEmpty else { return }
            pod.status.containerStatuses[0].restartCount += 1
            pod.status.containerStatuses[0].ready = false
        }
        modify(\.pods, "end with last words, before the restart is counted,") { pod in
            pod.metadata.resourceVersion = "changed"
            guard !pod.status.containerStatuses.isEmpty else { return }
            pod.status.containerStatuses[0].state = ContainerState(terminated: ContainerStateTerminated(
                exitCode: 1, reason: "Error", message: "dial tcp 10.96.0.10:5432: connect: connection refused"))
        }
        modify(\.pods, "unready") { pod in
            pod.metadata.resourceVersion = "changed"
            for index in pod.status.containerStatuses.indices { pod.status.containerStatuses[index].ready.toggle() }
        }
        modify(\.pods, "relabel") { pod in
            pod.metadata.resourceVersion = "changed"
            pod.metadata.labels["medic-test"] = "relabelled"
        }
        modify(\.deployments, "annotate") {
            $0.metadata.resourceVersion = "changed"
            $0.metadata.annotations["medic-test"] = "annotated"
        }
        modify(\.deployments, "hand to Argo CD") {
            $0.metadata.resourceVersion = "changed"
            $0.metadata.labels["argocd.argoproj.io/instance"] = "shop"
        }
        modify(\.services, "hand to Argo CD") {
            $0.metadata.resourceVersion = "changed"
            $0.metadata.labels["argocd.argoproj.io/instance"] = "shop"
        }
        modify(\.deployments, "scale") {
            $0.metadata.resourceVersion = "changed"
            $0.spec.replicas = ($0.spec.replicas ?? 1) + 1
        }
        modify(\.deployments, "point the environment at a Service of its namespace,") { deployment in
            deployment.metadata.resourceVersion = "changed"
            let namespace = deployment.metadata.namespace ?? "default"
            guard let service = snapshot.services.first(where: { ($0.metadata.namespace ?? "default") == namespace }),
                  !deployment.spec.template.spec.containers.isEmpty else { return }
            deployment.spec.template.spec.containers[0].env.append(
                EnvVar(name: "MEDIC_TEST_URL", value: "http://\(service.metadata.name):80"))
        }
        modify(\.services, "break the selector of") {
            $0.metadata.resourceVersion = "changed"
            $0.spec.selector["medic-test"] = "nothing"
        }
        return result
    }

    /// Every workload and pod with a resourceVersion, as a server gives them (the corpus's
    /// files often leave it out), so that views reuse what they can.
    static func versioned(_ snapshot: Snapshot) -> Snapshot {
        var snapshot = snapshot
        func stamp<Object>(_ objects: WritableKeyPath<Snapshot, [Object]>, _ metadata: WritableKeyPath<Object, ObjectMeta>) {
            for index in snapshot[keyPath: objects].indices where snapshot[keyPath: objects][index][keyPath: metadata].resourceVersion == nil {
                snapshot[keyPath: objects][index][keyPath: metadata].resourceVersion = "1"
            }
        }
        stamp(\.pods, \.metadata)
        stamp(\.deployments, \.metadata)
        stamp(\.statefulSets, \.metadata)
        stamp(\.daemonSets, \.metadata)
        return snapshot
    }

    static func json(_ report: DiagnosisReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// The repository's runbooks and every corpus cluster, all loaded.
    static func corpus() throws -> (Diagnoser, [CorpusScorer.Loaded]) {
        let (runbooks, errors) = CorpusScorer.loadRunbooks()
        let (cases, caseErrors) = CorpusScorer.loadCases()
        try #require(errors.isEmpty && caseErrors.isEmpty && !cases.isEmpty)
        return (Diagnoser(runbooks: runbooks), cases)
    }

    @Test("a pass that diagnoses only what a change touched reports what a full diagnosis reports, both ways")
    func incrementalEqualsFull() throws {
        let (diagnoser, cases) = try Self.corpus()
        var checked = 0, keptGraphs = 0, keptReports = 0, shared = 0
        for loaded in cases {
            let options = Diagnoser.Options(now: loaded.evalTime)
            let snapshot = Self.versioned(loaded.snapshot)
            for change in Self.changes(of: snapshot) {
                // The change, then the same change undone (an add, the object as it was).
                for (before, after) in [(snapshot, change.after), (change.after, snapshot)] {
                    let old = ClusterView(before), new = ClusterView(after, reusing: old)
                    var memo = DiagnosisMemo()
                    let last = diagnoser.diagnose(old, metrics: [:], options: options, memo: &memo, only: nil)
                    // Crash logs that came or went reach their namespace, as `PassMemory.plan` adds.
                    var changes = change.changes
                    changes.namespaces.formUnion(new.namespacesWithOtherCrashLogs(than: old.graphInputs))
                    let touched = try #require(new.targets(touchedBy: changes))
                    // The last pass's service graph, when `PassMemory` would keep it.
                    let sameGraph = changes.namespaces.isEmpty && new.sharesGraphInputs(with: old.graphInputs)
                    if sameGraph { keptGraphs += 1 }
                    let made = memo.reportsMade
                    let incremental = diagnoser.diagnose(new, metrics: [:], options: options, memo: &memo, only: touched,
                                                         sameGraph: sameGraph)
                    if memo.reportsMade == made { keptReports += 1 }
                    let full = diagnoser.diagnose(new, metrics: [:], options: options)
                    #expect(try Self.json(incremental) == Self.json(full), "\(loaded.file) '\(loaded.name)': \(change.what)")
                    // A finding the change left as it was is handed on as the last report's copy,
                    // which the act stage, notifications and the log then compare at once.
                    let previous = Dictionary(last.findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                    for finding in incremental.findings {
                        guard let before = previous[finding.id], before == finding else { continue }
                        #expect(finding.sharesStorage(with: before), "\(loaded.file) '\(loaded.name)': \(change.what): \(finding.id)")
                        shared += 1
                    }
                    checked += 1
                }
            }
        }
        // Every corpus cluster had changes of several kinds.
        #expect(checked > cases.count * 8)
        // Many changes (a scale with no finding, an Event no runbook reads) leave every
        // finding as it was: the last report is kept.
        #expect(keptReports > checked / 10)
        // Most changes (a pod's status, a scale, an Event) leave the service graph as it was.
        #expect(keptGraphs > checked / 3)
        #expect(shared > checked)
    }

    @Test("the report ranks targets by namespace, name and kind, as sorting their names would")
    func ranksFollowNames() throws {
        let (_, cases) = try Self.corpus()
        for loaded in cases {
            let view = ClusterView(loaded.snapshot)
            // Every workload and Service, and one the view does not hold (a deleted target).
            let gone = ObjectRef(kind: "Deployment", namespace: "default", name: "gone")
            let targets = view.workloads.map(\.ref) + view.serviceRefs + [gone]
            let sorted = targets.sorted { ($0.namespace, $0.name, $0.kind) < ($1.namespace, $1.name, $1.kind) }
            let ranks = Diagnoser.ranks(of: Set(targets), in: view)
            #expect(sorted.map { ranks[$0]?.target } == Array(sorted.indices), "\(loaded.file) '\(loaded.name)'")
            // The namespace and name alone: equal for a workload and a Service that share them.
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                let (rankA, rankB) = (try #require(ranks[a]?.name), try #require(ranks[b]?.name))
                #expect((a.namespace, a.name) == (b.namespace, b.name) ? rankA == rankB : rankA + 1 == rankB, "\(a) \(b)")
            }
        }
    }

    /// A sweep evaluates again only the targets whose last evaluation read the clock: sound
    /// only if no other target's results can change with time alone. Checked on every corpus
    /// cluster, diagnosed first some minutes or hours before its evaluation time (a "for 3m"
    /// not yet met, an OOM kill not yet an hour old) and swept at it.
    @Test("a sweep of the targets that read the clock reports what a full diagnosis reports later")
    func clockBoundSweepEqualsFull() throws {
        let (diagnoser, cases) = try Self.corpus()
        var checked = 0, moved = 0, skipped = 0, targets = 0
        for loaded in cases {
            let view = ClusterView(loaded.snapshot)
            let later = Diagnoser.Options(now: loaded.evalTime)
            for earlier in [-7200.0, -600, -120, -30] {
                var memo = DiagnosisMemo()
                let before = diagnoser.diagnose(view, metrics: [:], options: .init(now: loaded.evalTime + earlier),
                                                memo: &memo, only: nil)
                let swept = diagnoser.diagnose(view, metrics: [:], options: later, memo: &memo, only: memo.clockBound)
                let full = diagnoser.diagnose(view, metrics: [:], options: later)
                #expect(try Self.json(swept) == Self.json(full), "\(loaded.file) '\(loaded.name)' swept \(-earlier) s later")
                if try Self.json(before) != Self.json(full) { moved += 1 }
                checked += 1
                targets += view.workloads.count + view.services.count
                skipped += view.workloads.count + view.services.count - memo.clockBound.count
            }
        }
        #expect(checked == cases.count * 4)
        // Not vacuous: time alone changed some reports, and most targets were not swept.
        #expect(moved > 0)
        #expect(skipped > targets / 2)
    }

    /// A metric condition reads the clock when there are metrics: Prometheus's answer (or its
    /// outage) is fetched again at every sweep. Without Prometheus the answer never changes.
    @Test func aMetricConditionReadsTheClockOnlyWithPrometheus() throws {
        let runbook = try RunbookLoader.parse("""
            apiVersion: medic.io/v1
            kind: Runbook
            metadata: {name: busy, severity: low, title: A busy app}
            target: workload
            detect:
              - id: named
                cel: workload.name == "api"
              - id: busy
                promql: sum by (namespace, pod) (rate(requests_total[2m]))
                above: 10
            summary: "{{ workload.name }} is busy"
            remediate:
              - actions:
                  - action: notify
                    message: busy
            """, file: "busy.yaml")
        var snapshot = Snapshot()
        for name in ["api", "web"] {
            snapshot.deployments.append(Deployment(
                metadata: ObjectMeta(name: name, namespace: "shop"),
                spec: .init(selector: .init(matchLabels: ["app": name]),
                            template: .init(metadata: .init(labels: ["app": name]), spec: .init()))))
        }
        let view = ClusterView(snapshot)
        let diagnoser = Diagnoser(runbooks: [runbook])
        let query = try #require(diagnoser.metricQueries.first)
        let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
        for (metrics, bound) in [([:], Set<ObjectRef>()), ([query: MetricData.series([])], [api]),
                                 ([query: .unavailable(reason: "Prometheus is down")], [api])] {
            var memo = DiagnosisMemo()
            _ = diagnoser.diagnose(view, metrics: metrics, options: .init(now: Date()), memo: &memo, only: nil)
            #expect(memo.clockBound == bound, "\(metrics)")
        }
    }

    @Test("a change reaches its workload's Services and a Service's workloads; a namespace-wide change every target there")
    func touchedTargets() throws {
        let cases = CorpusScorer.loadCases().cases
        let loaded = try #require(cases.first { !$0.snapshot.services.isEmpty && !$0.snapshot.deployments.isEmpty })
        let view = ClusterView(loaded.snapshot)
        let service = try #require(view.services.indices.first { !view.workloads(selectedBy: view.services[$0]).isEmpty })
        let serviceRef = view.serviceRefs[service]
        let workload = view.workloads(selectedBy: view.services[service])[0]
        let pod = try #require(view.pods(of: workload).first)
        let podRef = ObjectRef(kind: "Pod", namespace: workload.namespace, name: pod.metadata.name)

        let fromPod = try #require(view.targets(touchedBy: ClusterChanges(objects: [podRef])))
        #expect(fromPod.contains(workload.ref) && fromPod.contains(serviceRef))
        #expect(fromPod.allSatisfy { $0.namespace == workload.namespace })
        let fromEndpoints = try #require(view.targets(touchedBy: ClusterChanges(objects: [
            ObjectRef(kind: "Endpoints", namespace: serviceRef.namespace, name: serviceRef.name)])))
        #expect(fromEndpoints.contains(serviceRef) && fromEndpoints.contains(workload.ref))
        let namespaceWide = try #require(view.targets(touchedBy: ClusterChanges(namespaces: [workload.namespace])))
        #expect(namespaceWide == Set(view.workloads(in: workload.namespace).map(\.ref)
            + view.serviceRefs.filter { $0.namespace == workload.namespace }))
        #expect(view.targets(touchedBy: ClusterChanges(everything: true)) == nil)
        // An Event about a Node, or a change to a kind no target reads, touches nothing.
        #expect(view.targets(touchedBy: ClusterChanges(objects: [ObjectRef(kind: "Node", namespace: "default", name: "n1")])) == [])
    }
}
