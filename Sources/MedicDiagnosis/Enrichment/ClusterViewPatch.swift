import Foundation
import MedicKube

/// `medic run` keeps its joined view up to date from what the informer saw change, instead of
/// rebuilding it from every object each pass: at 10,000 pods the rebuild was a third of a
/// pass, and two whole views were alive at once. Only the changes a busy cluster makes all
/// the time are patched (a pod's status, a pod of a workload coming or going, a scale, a
/// ReplicaSet's or Endpoints' status, an Event); anything that reaches further is built whole.
/// The patched view is the view `init(_:reusing:)` builds from the same snapshot, join for
/// join and in the same order (`ClusterViewPatchTests`), provided the snapshot's lists are
/// in the informer's order: namespace, then name.
extension ClusterView {
    /// This view, built from read `edits.since`, with `edits` applied: the view of `snapshot`,
    /// read `edits.read`. nil when the edits reach further than what is patched here, and the
    /// view must be built whole: a kind not followed (a Service, a ConfigMap, a Namespace...)
    /// changed or was listed again; a workload or ReplicaSet came or went; a template, selector
    /// or controller changed; a bare pod changed; a pod's last words or crash logs changed.
    public func patched(by edits: ClusterEdits, snapshot: Snapshot) -> ClusterView? {
        guard !edits.incomplete, Self.previousLogs(snapshot.podLogs) == previousLogs else { return nil }
        var view = self
        view.namespaces = Self.namespaces(snapshot.namespaces)
        guard view.replace(edits.deployments, Workload.init), view.replace(edits.statefulSets, Workload.init),
              view.replace(edits.daemonSets, Workload.init), view.patch(edits.replicaSets), view.patch(edits.pods) else {
            return nil
        }
        for (ref, edit) in edits.endpoints {
            view.endpoints[ref] = edit.new
        }
        view.patch(edits.events)
        return view
    }

    /// Workloads whose template and selector are what they were (a scale, a status): each
    /// replaced where the view holds it.
    private mutating func replace<Object>(_ edits: [ObjectRef: ClusterEdits.Edit<Object>],
                                          _ workload: (Object) -> Workload) -> Bool {
        for edit in edits.values {
            guard let old = edit.old.map(workload), let new = edit.new.map(workload),
                  old.template == new.template, old.selector == new.selector,
                  let position = workloadPositions[new.ref] else { return false }
            workloads[position] = new
            workloadsByNamespace[new.namespace]?.replace(where: new.ref, with: new)
            for service in servicesByWorkload[new.ref] ?? [] {
                workloadsByService[service.ref]?.replace(where: new.ref, with: new)
            }
        }
        return true
    }

    /// ReplicaSets still controlled by whom they were.
    private mutating func patch(_ edits: [ObjectRef: ClusterEdits.Edit<ReplicaSet>]) -> Bool {
        for (ref, edit) in edits {
            guard let old = edit.old, let new = edit.new, old.metadata.controllerOwner == new.metadata.controllerOwner else {
                return false
            }
            guard new.metadata.controllerOwner?.kind == "Deployment" else { continue }
            guard let deployment = workloadByPart[ref], var sets = replicaSetsByDeployment[deployment],
                  let index = sets.firstIndex(where: { $0.metadata.name == ref.name }) else { return false }
            sets[index] = new
            replicaSetsByDeployment[deployment] = Self.newestFirst(sets.sorted { $0.metadata.name < $1.metadata.name })
        }
        return true
    }

    /// Pods a controller owns, whose last words and crash logs are what they were: each taken
    /// out of the joins that held it as it was, and put in those that select it as it is.
    private mutating func patch(_ edits: [ObjectRef: ClusterEdits.Edit<Pod>]) -> Bool {
        guard !edits.isEmpty else { return true }
        let logged = Set(previousLogs.keys.map { ObjectRef(kind: "Pod", namespace: $0.namespace, name: $0.pod) })
        for (ref, edit) in edits {
            let owners = [edit.old, edit.new].compactMap { $0.map(\.metadata.controllerOwner) }
            guard owners.allSatisfy({ $0 != nil && $0 == owners[0] }), !logged.contains(ref),
                  (edit.old?.lastMessages ?? []) == (edit.new?.lastMessages ?? []) else { return false }
        }
        for (ref, edit) in edits {
            if let old = edit.old { remove(old, ref) }
            if let new = edit.new { insert(new, ref) }
        }
        return true
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
        (servicesByNamespace[namespace] ?? [:]).values.compactMap { service in
            let selector = service.selectorLabels
            guard !selector.isEmpty, selector.allSatisfy({ pod.metadata.labels[$0.key] == $0.value }) else { return nil }
            return service.ref
        }
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
