import Foundation
import MedicKube
import Testing
@testable import MedicDiagnosis

/// `medic run` patches the last read's view with what the informer saw change instead of
/// rebuilding it. That is only sound if the patched view is the view a whole build gives, join
/// for join and in the same order: checked on every corpus cluster, for each kind of change a
/// busy cluster makes all the time, alone, all at once and one after another; and the changes
/// that reach further must be refused, so the view is built whole.
@Suite struct ClusterViewPatchTests {
    /// Every join of a view, to compare two views whole.
    struct Joins {
        var workloads: [Workload]
        var services: [Service]
        var serviceRefs: [ObjectRef]
        var servicesByNamespace: [String: [String: Service]]
        var serviceNames: [String: Set<String>]
        var positions: [ObjectRef: Int]
        var namespaces: [String: Namespace]
        var podsByWorkload: [ObjectRef: [Pod]]
        var workloadByPart: [ObjectRef: ObjectRef]
        var replicaSets: [ObjectRef: [ReplicaSet]]
        var podsByNamespace: [String: [Pod]]
        var workloadsByNamespace: [String: [Workload]]
        var endpoints: [ObjectRef: Endpoints]
        var servicesByWorkload: [ObjectRef: [Service]]
        var podsByService: [ObjectRef: [Pod]]
        var workloadsByService: [ObjectRef: [Workload]]
        var events: [ObjectRef: [Event]]
        var callers: [ObjectRef: [ServiceCaller]]
        var calls: [ObjectRef: [ServiceCaller]]
        var flagFaults: [ObjectRef: [FeatureFlagFault]]
        var lastWordsByService: [ObjectRef: [CallerLastWords]]
        var lastWordsByCaller: [ObjectRef: [CallerLastWords]]
        var unresolvedHosts: [String: [UnresolvedHost]]

        init(_ view: ClusterView) {
            workloads = view.workloads
            services = view.services
            serviceRefs = view.serviceRefs
            servicesByNamespace = view.servicesByNamespace
            serviceNames = view.serviceNamesByNamespace
            positions = view.workloadPositions
            namespaces = view.namespaces
            podsByWorkload = view.podsByWorkload
            workloadByPart = view.workloadByPart
            replicaSets = view.replicaSetsByDeployment
            podsByNamespace = view.podsByNamespace
            workloadsByNamespace = view.workloadsByNamespace
            endpoints = view.endpoints
            servicesByWorkload = view.servicesByWorkload
            podsByService = view.podsByService
            workloadsByService = view.workloadsByService
            events = view.eventsByObject
            callers = view.callersByService
            calls = view.callsByWorkload
            flagFaults = view.flagFaultsByWorkload
            lastWordsByService = view.lastWordsByService
            lastWordsByCaller = view.lastWordsByCaller
            unresolvedHosts = view.unresolvedHosts
        }

        /// The joins that differ from `other`'s, by name: a failure names them, not two dumps.
        func differing(from other: Joins) -> [String] {
            func check<Value: Equatable>(_ name: String, _ path: KeyPath<Joins, Value>) -> String? {
                self[keyPath: path] == other[keyPath: path] ? nil : name
            }
            return [
                check("workloads", \.workloads), check("services", \.services), check("serviceRefs", \.serviceRefs),
                check("servicesByNamespace", \.servicesByNamespace), check("serviceNames", \.serviceNames),
                check("positions", \.positions),
                check("namespaces", \.namespaces), check("podsByWorkload", \.podsByWorkload),
                check("workloadByPart", \.workloadByPart), check("replicaSets", \.replicaSets),
                check("podsByNamespace", \.podsByNamespace), check("workloadsByNamespace", \.workloadsByNamespace),
                check("endpoints", \.endpoints), check("servicesByWorkload", \.servicesByWorkload),
                check("podsByService", \.podsByService), check("workloadsByService", \.workloadsByService),
                check("events", \.events), check("callers", \.callers), check("calls", \.calls),
                check("flagFaults", \.flagFaults), check("lastWordsByService", \.lastWordsByService),
                check("lastWordsByCaller", \.lastWordsByCaller), check("unresolvedHosts", \.unresolvedHosts),
            ].compactMap { $0 }
        }
    }

    /// The joins where two views differ; none when they are the same view.
    static func differences(_ a: ClusterView, _ b: ClusterView) -> [String] {
        Joins(a).differing(from: Joins(b))
    }

    /// The snapshot's lists in the informer's order (namespace, then name).
    static func informerOrder(_ snapshot: Snapshot) -> Snapshot {
        var snapshot = IncrementalDiagnosisTests.versioned(snapshot)
        func sort<Object: KubeObject>(_ path: WritableKeyPath<Snapshot, [Object]>) {
            snapshot[keyPath: path].sort { "\($0.metadata.namespace ?? "")/\($0.metadata.name)" < "\($1.metadata.namespace ?? "")/\($1.metadata.name)" }
        }
        sort(\.pods)
        sort(\.deployments)
        sort(\.replicaSets)
        sort(\.statefulSets)
        sort(\.daemonSets)
        sort(\.endpoints)
        sort(\.events)
        return snapshot
    }

    /// What the informer records between two reads: each changed object of the patched kinds
    /// as it was and is; any other kind changed leaves the edits incomplete.
    static func edits(from before: Snapshot, to after: Snapshot) -> ClusterEdits {
        var edits = ClusterEdits(since: 1, read: 2)
        func diff<Object: KubeObject & Equatable>(_ path: KeyPath<Snapshot, [Object]>) -> [ObjectRef: ClusterEdits.Edit<Object>] {
            let old = Dictionary(before[keyPath: path].map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
            let new = Dictionary(after[keyPath: path].map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
            var result: [ObjectRef: ClusterEdits.Edit<Object>] = [:]
            for ref in Set(old.keys).union(new.keys) where old[ref] != new[ref] {
                result[ref] = .init(old: old[ref], new: new[ref])
            }
            return result
        }
        edits.pods = diff(\.pods)
        edits.replicaSets = diff(\.replicaSets)
        edits.deployments = diff(\.deployments)
        edits.statefulSets = diff(\.statefulSets)
        edits.daemonSets = diff(\.daemonSets)
        edits.endpoints = diff(\.endpoints)
        edits.events = diff(\.events)
        edits.services = diff(\.services)
        edits.incomplete = before.namespaces != after.namespaces
            || before.configMaps != after.configMaps || before.networkPolicies != after.networkPolicies
            || before.ingresses != after.ingresses || before.httpRoutes != after.httpRoutes
        return edits
    }

    /// One change to a snapshot.
    struct Change: Sendable {
        var what: String
        var apply: @Sendable (inout Snapshot) -> Bool
    }

    /// An owned pod without last words or logs, which a patch takes.
    static func quietPod(_ snapshot: Snapshot, last: Bool = true) -> Int? {
        let logged = Set(snapshot.podLogs.map { "\($0.metadata.namespace ?? "default")/\($0.metadata.name)" })
        let candidates = snapshot.pods.indices.filter {
            let pod = snapshot.pods[$0]
            return pod.metadata.controllerOwner != nil && pod.lastMessages.isEmpty
                && !logged.contains("\(pod.metadata.namespace ?? "default")/\(pod.metadata.name)")
        }
        return last ? candidates.last : candidates.first
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Changes a patch takes.
    static let patchable: [Change] = [
        Change(what: "a pod's status") { s in
            guard let i = quietPod(s) else { return false }
            s.pods[i].metadata.resourceVersion = "changed"
            s.pods[i].status.conditions.append(Condition(type: "medic.io/Churn", status: "True"))
            for c in s.pods[i].status.containerStatuses.indices { s.pods[i].status.containerStatuses[c].ready.toggle() }
            return true
        },
        Change(what: "a crash-looping pod restarts, its last words and crash log as they were") { s in
            let logged = Set(s.podLogs.map { "\($0.metadata.namespace ?? "default")/\($0.metadata.name)" })
            guard let i = s.pods.indices.last(where: {
                s.pods[$0].metadata.controllerOwner != nil && !s.pods[$0].status.containerStatuses.isEmpty
                    && logged.contains("\(s.pods[$0].metadata.namespace ?? "default")/\(s.pods[$0].metadata.name)")
            }) else { return false }
            s.pods[i].metadata.resourceVersion = "changed"
            s.pods[i].status.containerStatuses[0].restartCount += 1
            return true
        },
        Change(what: "a new pod of a workload, between two others") { s in
            guard let i = quietPod(s, last: false) else { return false }
            var pod = s.pods[i]
            pod.metadata.name += "-b\(s.pods.count)"
            pod.metadata.uid = "new-pod-\(s.pods.count)"
            s.pods.insert(pod, at: i + 1)
            s.pods = informerOrder(s).pods
            return true
        },
        Change(what: "a pod deleted") { s in
            guard let i = quietPod(s, last: false) else { return false }
            s.pods.remove(at: i)
            return true
        },
        Change(what: "an owned pod relabelled") { s in
            guard let i = quietPod(s) else { return false }
            s.pods[i].metadata.resourceVersion = "changed"
            s.pods[i].metadata.labels = ["medic-test": "relabelled"]
            return true
        },
        Change(what: "a scale") { s in
            guard !s.deployments.isEmpty else { return false }
            s.deployments[0].metadata.resourceVersion = "changed"
            s.deployments[0].spec.replicas = (s.deployments[0].spec.replicas ?? 1) + 1
            s.deployments[0].status.readyReplicas = 0
            return true
        },
        Change(what: "a StatefulSet's and a DaemonSet's status") { s in
            guard !s.statefulSets.isEmpty || !s.daemonSets.isEmpty else { return false }
            if !s.statefulSets.isEmpty { s.statefulSets[0].status.readyReplicas = 0 }
            if !s.daemonSets.isEmpty { s.daemonSets[0].status.numberReady = 0 }
            return true
        },
        Change(what: "a Service's selector broken, another's fixed to select a workload's pods, a port changed") { s in
            guard let last = s.services.indices.last else { return false }
            s.services[last].metadata.resourceVersion = "changed"
            s.services[last].spec.selector["medic-test"] = "nothing"
            guard let pod = s.pods.first(where: { $0.metadata.controllerOwner != nil && !$0.metadata.labels.isEmpty }),
                  let other = s.services.indices.first(where: {
                      $0 != last && s.services[$0].metadata.namespace == pod.metadata.namespace
                  }) else { return true }
            s.services[other].spec.selector = pod.metadata.labels.filter { $0.key != "pod-template-hash" }
            if !s.services[other].spec.ports.isEmpty { s.services[other].spec.ports[0].port += 1 }
            return true
        },
        Change(what: "a ReplicaSet's status") { s in
            guard let i = s.replicaSets.indices.last else { return false }
            s.replicaSets[i].status.replicas = 7
            s.replicaSets[i].status.readyReplicas = 3
            return true
        },
        Change(what: "Endpoints changed, deleted and added") { s in
            guard !s.endpoints.isEmpty else { return false }
            var added = s.endpoints[0]
            added.metadata.name += "-new\(s.endpoints.count)"
            s.endpoints[s.endpoints.count - 1].subsets = []
            s.endpoints.remove(at: 0)
            s.endpoints.append(added)
            s.endpoints = informerOrder(s).endpoints
            return true
        },
        Change(what: "Events added, seen again and deleted") { s in
            guard let i = quietPod(s) else { return false }
            let pod = s.pods[i]
            let namespace = pod.metadata.namespace ?? "default"
            let taken = Set(s.events.map(\.metadata.name))
            for name in (0...).lazy.map({ "\(pod.metadata.name).churn\($0)" }).filter({ !taken.contains($0) }).prefix(2) {
                s.events.append(Event(
                    metadata: ObjectMeta(name: name, namespace: namespace),
                    involvedObject: ObjectReference(kind: "Pod", namespace: namespace, name: pod.metadata.name),
                    reason: "BackOff", message: "Back-off restarting failed container", type: "Warning",
                    lastTimestamp: now))
            }
            if s.events.count > 3 {
                s.events[0].lastTimestamp = now
                s.events[0].count = (s.events[0].count ?? 1) + 1
                s.events.remove(at: 1)
            }
            s.events = informerOrder(s).events
            return true
        },
    ]

    /// The last object of a kind deleted.
    static func lastDeleted<Object>(_ what: String, _ path: any WritableKeyPath<Snapshot, [Object]> & Sendable) -> Change {
        Change(what: what) { s in
            guard !s[keyPath: path].isEmpty else { return false }
            s[keyPath: path].removeLast()
            return true
        }
    }

    /// Changes that reach further than a patch: the view is built whole.
    static let refused: [Change] = [
        Change(what: "a Service added") { s in
            guard var service = s.services.last else { return false }
            service.metadata.name += "-new"
            s.services.append(service)
            return true
        },
        lastDeleted("a Service deleted", \.services),
        Change(what: "a Service's cluster IP") { s in
            guard !s.services.isEmpty else { return false }
            s.services[0].spec.clusterIP = "10.99.99.99"
            return true
        },
        Change(what: "a Deployment's template") { s in
            guard let i = s.deployments.indices.first(where: { !s.deployments[$0].spec.template.spec.containers.isEmpty }) else { return false }
            s.deployments[i].spec.template.spec.containers[0].image = "registry.example/changed:2"
            return true
        },
        lastDeleted("a Deployment deleted", \.deployments),
        Change(what: "a crash with last words") { s in
            guard let i = quietPod(s), !s.pods[i].status.containerStatuses.isEmpty else { return false }
            s.pods[i].status.containerStatuses[0].lastState = ContainerState(terminated: ContainerStateTerminated(
                exitCode: 1, reason: "Error", message: "dial tcp 10.96.0.10:5432: connect: connection refused"))
            return true
        },
        Change(what: "a bare pod changed or added") { s in
            if let i = s.pods.indices.first(where: { s.pods[$0].metadata.controllerOwner == nil }) {
                s.pods[i].status.conditions.append(Condition(type: "medic.io/Churn", status: "True"))
                return true
            }
            guard var pod = s.pods.first else { return false }
            pod.metadata.name = "zz-bare"
            pod.metadata.ownerReferences = []
            s.pods.append(pod)
            return true
        },
        Change(what: "a ReplicaSet added") { s in
            guard var replicaSet = s.replicaSets.last else { return false }
            replicaSet.metadata.name += "-new"
            s.replicaSets.append(replicaSet)
            return true
        },
        Change(what: "a pod's crash log fetched") { s in
            guard let i = quietPod(s), let container = s.pods[i].spec.containers.first else { return false }
            s.podLogs.append(PodLog(namespace: s.pods[i].metadata.namespace ?? "default", pod: s.pods[i].metadata.name,
                                    container: container.name, previous: true, log: "panic: connect to db:5432 refused"))
            return true
        },
    ]

    static func corpus() throws -> [(name: String, snapshot: Snapshot, options: Diagnoser.Options)] {
        let (cases, errors) = CorpusScorer.loadCases()
        try #require(errors.isEmpty && !cases.isEmpty)
        return cases.map { ("\($0.file) '\($0.name)'", informerOrder($0.snapshot), Diagnoser.Options(now: $0.evalTime)) }
    }

    @Test("a patched view is the whole build, join for join, for each change a busy cluster makes and for all at once")
    func patchedEqualsWhole() throws {
        let diagnoser = Diagnoser(runbooks: CorpusScorer.loadRunbooks().runbooks)
        var checked = 0, applied: Set<String> = []
        for (name, before, options) in try Self.corpus() {
            let base = ClusterView(before)
            var all = before, kinds = 0
            for change in Self.patchable {
                var after = before
                guard change.apply(&after) else { continue }
                kinds += 1
                applied.insert(change.what)
                _ = change.apply(&all)
                let patched = try #require(base.patched(by: Self.edits(from: before, to: after), snapshot: after),
                                           "\(name): \(change.what) was refused")
                let whole = ClusterView(after)
                #expect(Self.differences(patched, whole) == [], "\(name): \(change.what)")
                #expect(try IncrementalDiagnosisTests.json(diagnoser.diagnose(patched, metrics: [:], options: options))
                    == IncrementalDiagnosisTests.json(diagnoser.diagnose(whole, metrics: [:], options: options)),
                        "\(name): \(change.what)")
                checked += 1
            }
            guard kinds > 1 else { continue }
            let patched = try #require(base.patched(by: Self.edits(from: before, to: all), snapshot: all), "\(name): all at once")
            #expect(Self.differences(patched, ClusterView(all)) == [], "\(name): all at once")
        }
        #expect(checked > 100)
        #expect(applied == Set(Self.patchable.map(\.what)), "a change no corpus cluster could make")
    }

    @Test("patches one after another stay the whole build of the last read")
    func patchesInARow() throws {
        for (name, first, _) in try Self.corpus() {
            var view = ClusterView(first), snapshot = first, steps = 0
            for change in Self.patchable + Self.patchable.reversed() {
                var next = snapshot
                guard change.apply(&next) else { continue }
                // Then the same kinds again in reverse order: objects changed twice, as churn does.
                guard let patched = view.patched(by: Self.edits(from: snapshot, to: next), snapshot: next) else {
                    Issue.record("\(name): \(change.what) was refused after \(steps) patches")
                    break
                }
                (view, snapshot, steps) = (patched, next, steps + 1)
            }
            #expect(Self.differences(view, ClusterView(snapshot)) == [], "\(name) after \(steps) patches")
        }
    }

    @Test("a change that reaches further than the patched joins is refused: the view is built whole")
    func refusals() throws {
        var refused: Set<String> = []
        for (name, before, _) in try Self.corpus() {
            let base = ClusterView(before)
            // Every patchable change first, so a refusal met late must undo nothing.
            var patchable = before
            for change in Self.patchable { _ = change.apply(&patchable) }
            for change in Self.refused {
                var after = patchable
                guard change.apply(&after) else { continue }
                var view = base
                let applied = view.patch(by: Self.edits(from: before, to: after), snapshot: after)
                #expect(!applied, "\(name): \(change.what)")
                #expect(Self.differences(view, base) == [], "\(name): \(change.what) left the view changed")
                refused.insert(change.what)
            }
            var incomplete = Self.edits(from: before, to: before)
            #expect(base.patched(by: incomplete, snapshot: before) != nil, "\(name): nothing changed")
            incomplete.incomplete = true
            #expect(base.patched(by: incomplete, snapshot: before) == nil, "\(name): a kind listed again")
        }
        // Every kind of refusal was met somewhere in the corpus.
        #expect(refused == Set(Self.refused.map(\.what)))
    }
}
