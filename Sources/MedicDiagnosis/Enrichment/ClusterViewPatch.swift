import Foundation
import MedicKube

/// `medic run` keeps its joined view up to date from what the informer saw change, instead of
/// rebuilding it from every object each pass: at 10,000 pods the rebuild was a third of a
/// pass, and two whole views were alive at once. Only the changes a busy cluster makes all
/// the time are patched (a pod's status, a pod of a workload coming or going, a scale, a
/// ReplicaSet's or Endpoints' status, an Event, a Service's selector or ports); anything that
/// reaches further is built whole.
/// The patched view is the view `init(_:reusing:)` builds from the same snapshot, join for
/// join and in the same order (`ClusterViewPatchTests`), provided the snapshot's lists are
/// in the informer's order: namespace, then name.
extension ClusterView {
    /// This view, built from read `edits.since`, with `edits` applied: the view of `snapshot`,
    /// read `edits.read`. nil when the edits reach further than what is patched here, and the
    /// view must be built whole: a kind not followed (a ConfigMap, a Namespace...) changed or
    /// was listed again; a workload, ReplicaSet or Service came or went, or a Service's cluster
    /// IP changed; a template, workload selector or controller changed; a bare pod changed; a
    /// pod's last words or crash logs changed.
    public func patched(by edits: ClusterEdits, snapshot: Snapshot) -> ClusterView? {
        var view = self
        return view.patch(by: edits, snapshot: snapshot) ? view : nil
    }

    /// `patched(by:snapshot:)` in place: false, with the view as it was, when the edits reach
    /// further. Every edit is checked before any is applied, so a refused patch leaves a view a
    /// whole build can still reuse. A view nothing else holds is changed where it lies: a copy
    /// would copy every join it shares (tens of thousands of entries at 10,000 pods) at each pass.
    public mutating func patch(by edits: ClusterEdits, snapshot: Snapshot) -> Bool {
        guard !edits.incomplete, Self.previousLogs(snapshot.podLogs) == previousLogs,
              patchable(edits.deployments, Workload.init), patchable(edits.statefulSets, Workload.init),
              patchable(edits.daemonSets, Workload.init), patchable(edits.replicaSets), patchable(edits.pods),
              patchable(edits.services) else {
            return false
        }
        namespaces = Self.namespaces(snapshot.namespaces)
        replace(edits.deployments, Workload.init)
        replace(edits.statefulSets, Workload.init)
        replace(edits.daemonSets, Workload.init)
        patch(edits.replicaSets)
        patch(edits.pods)
        for (ref, edit) in edits.endpoints {
            endpoints[ref] = edit.new
        }
        patch(edits.events)
        // After the pods and workloads: a Service selects them as they are now.
        patch(edits.services)
        return true
    }

    /// Services that were and are, at the same cluster IP, whose selector, ports or labels
    /// changed (a broken selector, its fix). One that comes or goes, or moves to another IP,
    /// changes the names and addresses callers' environments and last words are read against.
    private func patchable(_ edits: [ObjectRef: ClusterEdits.Edit<Service>]) -> Bool {
        edits.allSatisfy { ref, edit in
            guard let old = edit.old, let new = edit.new else { return false }
            return old.spec.clusterIP == new.spec.clusterIP && servicesByNamespace[ref.namespace]?[ref.name] != nil
        }
    }

    /// Each Service replaced where the view holds it, and its selection made again from the
    /// namespace's pods and workloads, in the order a whole build gives.
    private mutating func patch(_ edits: [ObjectRef: ClusterEdits.Edit<Service>]) {
        for (ref, edit) in edits {
            guard let new = edit.new, let index = serviceRefs.firstIndex(of: ref) else { continue }
            services[index] = new
            servicesByNamespace[ref.namespace]?[ref.name] = new
            let before = Set((workloadsByService[ref] ?? []).map(\.ref))
            let selects = !new.selectorLabels.isEmpty
            let selected = workloads(in: ref.namespace).filter { new.selects($0.podLabels) }
            workloadsByService[ref] = selects ? selected : nil
            podsByService[ref] = selects ? (podsByNamespace[ref.namespace] ?? []).filter { new.selects($0.metadata.labels) } : nil
            let after = Set(selected.map(\.ref))
            for workload in before.union(after) {
                var list = servicesByWorkload[workload] ?? []
                list.removeAll { $0.metadata.name == ref.name }
                if after.contains(workload) {
                    list.insert(new, at: list.firstIndex { $0.metadata.name > ref.name } ?? list.endIndex)
                }
                servicesByWorkload[workload] = list.isEmpty ? nil : list
            }
        }
    }

    /// Workloads whose template and selector are what they were (a scale, a status), each
    /// where the view holds it.
    private func patchable<Object>(_ edits: [ObjectRef: ClusterEdits.Edit<Object>], _ workload: (Object) -> Workload) -> Bool {
        edits.values.allSatisfy { edit in
            guard let old = edit.old.map(workload), let new = edit.new.map(workload) else { return false }
            return old.template == new.template && old.selector == new.selector && workloadPositions[new.ref] != nil
        }
    }

    /// Each replaced where the view holds it.
    private mutating func replace<Object>(_ edits: [ObjectRef: ClusterEdits.Edit<Object>], _ workload: (Object) -> Workload) {
        for edit in edits.values {
            guard let new = edit.new.map(workload), let position = workloadPositions[new.ref] else { continue }
            workloads[position] = new
            workloadsByNamespace[new.namespace]?.replace(where: new.ref, with: new)
            for service in servicesByWorkload[new.ref] ?? [] {
                workloadsByService[service.ref]?.replace(where: new.ref, with: new)
            }
        }
    }

    /// ReplicaSets still controlled by whom they were, and found where the view holds them.
    private func patchable(_ edits: [ObjectRef: ClusterEdits.Edit<ReplicaSet>]) -> Bool {
        edits.allSatisfy { ref, edit in
            guard let old = edit.old, let new = edit.new, old.metadata.controllerOwner == new.metadata.controllerOwner else {
                return false
            }
            guard new.metadata.controllerOwner?.kind == "Deployment" else { return true }
            guard let deployment = workloadByPart[ref], let sets = replicaSetsByDeployment[deployment] else { return false }
            return sets.contains { $0.metadata.name == ref.name }
        }
    }

    private mutating func patch(_ edits: [ObjectRef: ClusterEdits.Edit<ReplicaSet>]) {
        for (ref, edit) in edits {
            guard let new = edit.new, new.metadata.controllerOwner?.kind == "Deployment", let deployment = workloadByPart[ref],
                  var sets = replicaSetsByDeployment.removeValue(forKey: deployment),
                  let index = sets.firstIndex(where: { $0.metadata.name == ref.name }) else { continue }
            sets[index] = new
            replicaSetsByDeployment[deployment] = Self.newestFirst(sets.sorted { $0.metadata.name < $1.metadata.name })
        }
    }

    /// Pods a controller owns, whose last words are what they were. Their crash logs are
    /// too: `patch(by:snapshot:)` takes no read whose logs differ, so a crash-looping pod that
    /// restarts and says what it said before is patched like any other status change.
    private func patchable(_ edits: [ObjectRef: ClusterEdits.Edit<Pod>]) -> Bool {
        edits.values.allSatisfy { edit in
            let owners = [edit.old, edit.new].compactMap { $0.map(\.metadata.controllerOwner) }
            return owners.allSatisfy({ $0 != nil && $0 == owners[0] })
                && (edit.old?.lastMessages ?? []) == (edit.new?.lastMessages ?? [])
        }
    }

    /// Each pod taken out of the joins that held it as it was, and put in those that select it
    /// as it is.
    private mutating func patch(_ edits: [ObjectRef: ClusterEdits.Edit<Pod>]) {
        for (ref, edit) in edits {
            if let old = edit.old { remove(old, ref) }
            if let new = edit.new { insert(new, ref) }
        }
    }

    private mutating func remove(_ pod: Pod, _ ref: ObjectRef) {
        let name = pod.metadata.name
        podsByNamespace.removeSorted(name, from: ref.namespace)
        if let workload = workloadByPart.removeValue(forKey: ref) {
            podsByWorkload.removeSorted(name, from: workload)
        }
        for service in services(in: ref.namespace, selecting: pod) {
            podsByService[service]?.removeSorted(name)
        }
    }

    private mutating func insert(_ pod: Pod, _ ref: ObjectRef) {
        podsByNamespace[ref.namespace, default: []].insertSorted(pod)
        if let owner = pod.metadata.controllerOwner,
           let workload = Self.workload(of: pod, ownedBy: owner, in: ref.namespace, replicaSets: workloadByPart) {
            podsByWorkload[workload, default: []].insertSorted(pod)
            workloadByPart[ref] = workload
        }
        for service in services(in: ref.namespace, selecting: pod) {
            podsByService[service, default: []].insertSorted(pod)
        }
    }

    /// The Services whose (non-empty) selector matches `pod`'s labels.
    private func services(in namespace: String, selecting pod: Pod) -> [ObjectRef] {
        (servicesByNamespace[namespace] ?? [:]).values.compactMap { $0.selects(pod.metadata.labels) ? $0.ref : nil }
    }

    /// Each object an Event was or is about gets its list again, oldest first, Events seen at
    /// the same instant in the informer's order as a whole build has them.
    private mutating func patch(_ edits: [ObjectRef: ClusterEdits.Edit<Event>]) {
        var touched = Set<ObjectRef>()
        var added: [ObjectRef: [Event]] = [:]
        for edit in edits.values {
            if let old = edit.old, let object = Self.involved(in: old) { touched.insert(object) }
            if let new = edit.new, let object = Self.involved(in: new) {
                touched.insert(object)
                added[object, default: []].append(new)
            }
        }
        func key(_ event: Event) -> String { "\(event.metadata.namespace ?? "")/\(event.metadata.name)" }
        for object in touched {
            let kept = (eventsByObject[object] ?? []).filter { edits[$0.ref] == nil }
            let events = kept + (added[object] ?? [])
            eventsByObject[object] = events.isEmpty ? nil : Self.oldestFirst(events.sorted { key($0) < key($1) })
        }
    }
}

extension [Workload] {
    mutating func replace(where ref: ObjectRef, with workload: Workload) {
        if let index = firstIndex(where: { $0.ref == ref }) { self[index] = workload }
    }
}

/// A join's pods are in the informer's order, by name within their namespace.
extension [Pod] {
    private func position(of name: String) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].metadata.name < name { low = middle + 1 } else { high = middle }
        }
        return low
    }

    mutating func insertSorted(_ pod: Pod) {
        insert(pod, at: position(of: pod.metadata.name))
    }

    mutating func removeSorted(_ name: String) {
        let index = position(of: name)
        if index < count, self[index].metadata.name == name { remove(at: index) }
    }
}

extension Dictionary where Value == [Pod] {
    /// Takes the pod named `name` out of `key`'s list, and the list out when it is left empty,
    /// as a whole build has no empty lists here.
    mutating func removeSorted(_ name: String, from key: Key) {
        self[key]?.removeSorted(name)
        if self[key]?.isEmpty == true { self[key] = nil }
    }
}
