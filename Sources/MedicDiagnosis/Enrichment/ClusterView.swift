import Foundation
import MedicKube

/// The joined, read-only view of a cluster that rules are evaluated over: every pod linked to
/// the workload that owns it, every workload to its revisions, Services and events, every
/// Service to the pods and endpoints it selects. Built once per diagnosis; pure.
///
/// `medic run` patches the last pass's view with what its watched cache saw change
/// (`patched(by:snapshot:)`), and builds one whole only when a change reaches further,
/// `reusing` the last: what the view derives from an object that has not changed since (its
/// resourceVersion) is taken from there.
public struct ClusterView: Sendable {
    public internal(set) var workloads: [Workload]
    public internal(set) var services: [Service]
    /// Each of `services` as a reference, in the same order.
    public internal(set) var serviceRefs: [ObjectRef]
    /// Where each workload is in `workloads`, for `workload(_:)`.
    var workloadPositions: [ObjectRef: Int]
    public internal(set) var namespaces: [String: Namespace]
    /// Pods per workload.
    public internal(set) var podsByWorkload: [ObjectRef: [Pod]]
    /// The other way: the workload of each pod (itself when bare) and of each ReplicaSet;
    /// for `targets(touchedBy:)`.
    var workloadByPart: [ObjectRef: ObjectRef]
    /// ReplicaSets per Deployment, newest revision first.
    public internal(set) var replicaSetsByDeployment: [ObjectRef: [ReplicaSet]]
    public internal(set) var podsByNamespace: [String: [Pod]]
    public internal(set) var workloadsByNamespace: [String: [Workload]]
    public internal(set) var endpoints: [ObjectRef: Endpoints]
    /// Services whose selector matches a workload's pod template.
    var servicesByWorkload: [ObjectRef: [Service]]
    /// Pods a Service's selector matches.
    var podsByService: [ObjectRef: [Pod]]
    /// Workloads whose pod template a Service's selector matches.
    var workloadsByService: [ObjectRef: [Workload]]
    /// Events per involved object, oldest first.
    public internal(set) var eventsByObject: [ObjectRef: [Event]]
    /// Service names per namespace, for the addresses workloads' environments name.
    public internal(set) var serviceNamesByNamespace: [String: Set<String>]
    /// Services per namespace by name, for the ports those addresses use.
    public internal(set) var servicesByNamespace: [String: [String: Service]]
    /// Who calls each Service: workloads whose environment addresses name it.
    var callersByService: [ObjectRef: [ServiceCaller]]
    /// The same calls from the caller's side: the Services each workload's environment names.
    var callsByWorkload: [ObjectRef: [ServiceCaller]]
    /// Fault-injecting feature flags that are on, per workload they designate or that reads
    /// their ConfigMap.
    public internal(set) var flagFaultsByWorkload: [ObjectRef: [FeatureFlagFault]]
    /// Previous-container logs saved in the snapshot, keyed `namespace/pod/container`.
    var previousLogs: [ContainerKey: String]
    /// Chaos experiments that are still injecting, wherever they live (they may aim at other
    /// namespaces).
    public internal(set) var activeChaosExperiments: [ChaosExperiment]
    /// NetworkPolicies per namespace.
    public internal(set) var networkPoliciesByNamespace: [String: [NetworkPolicy]]
    /// Services an Ingress or HTTPRoute sends outside traffic to, with the route that does
    /// (`Ingress shop/web`), sorted.
    public internal(set) var routedServices: [(service: ObjectRef, route: String)]
    /// Crashed callers' last words that address each Service.
    var lastWordsByService: [ObjectRef: [CallerLastWords]]
    var lastWordsByCaller: [ObjectRef: [CallerLastWords]]
    /// Names crashed callers could not resolve, keyed `namespace/host` (see `UnresolvedHost`).
    var unresolvedHosts: [String: [UnresolvedHost]]

    /// `previous`: the view of an earlier read of the same cluster, whose derived facts about
    /// objects with an unchanged resourceVersion (and unchanged inputs) still hold.
    public init(_ snapshot: Snapshot, reusing previous: ClusterView? = nil) {
        let workloads = snapshot.deployments.map(Workload.init)
            + snapshot.statefulSets.map(Workload.init)
            + snapshot.daemonSets.map(Workload.init)
            + snapshot.pods.filter { $0.metadata.controllerOwner == nil && $0.status.phase != "Succeeded" }
                .map(Workload.init(barePod:))
        self.workloads = workloads.sorted { ($0.namespace, $0.name, $0.kind) < ($1.namespace, $1.name, $1.kind) }
        services = snapshot.services.sorted { ($0.metadata.namespace ?? "", $0.metadata.name)
            < ($1.metadata.namespace ?? "", $1.metadata.name) }
        workloadPositions = Dictionary(self.workloads.enumerated().map { ($0.element.ref, $0.offset) }, uniquingKeysWith: { a, _ in a })
        serviceRefs = services.map(\.ref)
        namespaces = Self.namespaces(snapshot.namespaces)

        // ReplicaSet → Deployment, by the controller owner reference (uid when both have one).
        let deploymentsByUID = Dictionary(
            snapshot.deployments.compactMap { d in d.metadata.uid.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        var replicaSets: [ObjectRef: [ReplicaSet]] = [:]
        var deploymentOfReplicaSet: [ObjectRef: ObjectRef] = [:]
        for replicaSet in snapshot.replicaSets {
            guard let owner = replicaSet.metadata.controllerOwner, owner.kind == "Deployment" else { continue }
            let namespace = replicaSet.metadata.namespace ?? "default"
            let name = deploymentsByUID[owner.uid]?.metadata.name ?? owner.name
            let deployment = ObjectRef(kind: "Deployment", namespace: namespace, name: name)
            replicaSets[deployment, default: []].append(replicaSet)
            deploymentOfReplicaSet[ObjectRef(kind: "ReplicaSet", namespace: namespace, name: replicaSet.metadata.name)] = deployment
        }
        replicaSetsByDeployment = replicaSets.mapValues(Self.newestFirst)

        var workloadByPart = deploymentOfReplicaSet
        var podsByWorkload: [ObjectRef: [Pod]] = [:]
        var podsByNamespace: [String: [Pod]] = [:]
        for pod in snapshot.pods {
            let namespace = pod.metadata.namespace ?? "default"
            podsByNamespace[namespace, default: []].append(pod)
            let podRef = ObjectRef(kind: "Pod", namespace: namespace, name: pod.metadata.name)
            guard let owner = pod.metadata.controllerOwner else {
                podsByWorkload[podRef, default: []].append(pod)
                workloadByPart[podRef] = podRef
                continue
            }
            if let workload = Self.workload(of: pod, ownedBy: owner, in: namespace, replicaSets: deploymentOfReplicaSet) {
                podsByWorkload[workload, default: []].append(pod)
                workloadByPart[podRef] = workload
            }
        }
        self.podsByWorkload = podsByWorkload
        self.workloadByPart = workloadByPart
        self.podsByNamespace = podsByNamespace
        let workloadsByNamespace = Dictionary(grouping: self.workloads, by: \.namespace)
        self.workloadsByNamespace = workloadsByNamespace

        // Selector joins, computed once through label indexes: everything later asks these many times.
        let pods = snapshot.pods
        let podIndex = LabelIndex(count: pods.count) { (pods[$0].metadata.namespace ?? "default", pods[$0].metadata.labels) }
        let allWorkloads = self.workloads
        let workloadIndex = LabelIndex(count: allWorkloads.count) { (allWorkloads[$0].namespace, allWorkloads[$0].podLabels) }
        var servicesByWorkload: [ObjectRef: [Service]] = [:]
        var podsByService: [ObjectRef: [Pod]] = [:]
        var workloadsByService: [ObjectRef: [Workload]] = [:]
        for (service, serviceKey) in zip(services, serviceRefs) {
            let selector = service.selectorLabels
            guard !selector.isEmpty else { continue }
            let namespace = serviceKey.namespace
            let selected = workloadIndex.matching(selector, in: namespace).map { allWorkloads[$0] }
            for workload in selected {
                servicesByWorkload[workload.ref, default: []].append(service)
            }
            workloadsByService[serviceKey] = selected
            podsByService[serviceKey] = podIndex.matching(selector, in: namespace).map { pods[$0] }
        }
        self.servicesByWorkload = servicesByWorkload
        self.podsByService = podsByService
        self.workloadsByService = workloadsByService
        endpoints = Dictionary(snapshot.endpoints.map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })

        var events: [ObjectRef: [Event]] = [:]
        for event in snapshot.events {
            guard let object = Self.involved(in: event) else { continue }
            events[object, default: []].append(event)
        }
        let serviceNamesByNamespace = Dictionary(grouping: snapshot.services) { $0.metadata.namespace ?? "default" }
            .mapValues { Set($0.map(\.metadata.name)) }
        self.serviceNamesByNamespace = serviceNamesByNamespace
        activeChaosExperiments = snapshot.chaosExperiments.filter(\.isActive)
        networkPoliciesByNamespace = Dictionary(grouping: snapshot.networkPolicies) { $0.metadata.namespace ?? "default" }
        routedServices = (snapshot.ingresses.flatMap { ingress in
            let namespace = ingress.metadata.namespace ?? "default"
            return ingress.serviceNames.map { (ObjectRef(kind: "Service", namespace: namespace, name: $0), "Ingress \(namespace)/\(ingress.metadata.name)") }
        } + snapshot.httpRoutes.flatMap { route in
            route.services.map { ($0, "HTTPRoute \(route.metadata.namespace ?? "default")/\(route.metadata.name)") }
        }).sorted { ($0.0.namespace, $0.0.name, $0.1) < ($1.0.namespace, $1.0.name, $1.1) }
        servicesByNamespace = Dictionary(grouping: snapshot.services) { $0.metadata.namespace ?? "default" }
            .mapValues { Dictionary($0.map { ($0.metadata.name, $0) }, uniquingKeysWith: { a, _ in a }) }
        var callers: [ObjectRef: [ServiceCaller]] = [:]
        // Per workload as it goes: grouped from `callers`' values, the order would differ
        // from one build to the next.
        var callsByWorkload: [ObjectRef: [ServiceCaller]] = [:]
        // A workload's calls hold while its resourceVersion (so its template) and its
        // namespace's Service names are what they were.
        var sameServiceNames: [String: Bool] = [:]
        for workload in self.workloads {
            let names = serviceNamesByNamespace[workload.namespace] ?? []
            var calls: [ServiceCaller]?
            if let previous, let version = workload.metadata.resourceVersion,
               previous.workload(workload.ref)?.metadata.resourceVersion == version {
                let same = sameServiceNames[workload.namespace] ?? {
                    let same = previous.serviceNamesByNamespace[workload.namespace] ?? [] == names
                    sameServiceNames[workload.namespace] = same
                    return same
                }()
                if same { calls = previous.calls(of: workload) }
            }
            let made = calls ?? ServiceCaller.calls(of: workload, services: names)
            for caller in made {
                callers[ObjectRef(kind: "Service", namespace: workload.namespace, name: caller.service), default: []].append(caller)
            }
            if !made.isEmpty { callsByWorkload[workload.ref] = made }
        }
        callersByService = callers
        self.callsByWorkload = callsByWorkload
        var flagFaults: [ObjectRef: [FeatureFlagFault]] = [:]
        for configMap in snapshot.configMaps {
            let namespace = configMap.metadata.namespace ?? "default"
            let local = workloadsByNamespace[namespace] ?? []
            for fault in FeatureFlagFault.faults(in: configMap, workloads: local) {
                let owners = fault.designates.map { [$0] }
                    ?? local.filter { $0.reads(configMap: configMap.metadata.name) }.map(\.ref)
                for owner in owners {
                    flagFaults[owner, default: []].append(fault)
                }
            }
        }
        flagFaultsByWorkload = flagFaults
        previousLogs = Self.previousLogs(snapshot.podLogs)
        eventsByObject = events.mapValues(Self.oldestFirst)
        let clusterIPs = Dictionary(snapshot.services.compactMap { service -> (String, ObjectRef)? in
            guard let ip = service.spec.clusterIP, ip != "None", !ip.isEmpty else { return nil }
            return (ip, service.ref)
        }, uniquingKeysWith: { a, _ in a })
        let spoken = CallerLastWords.all(workloads: self.workloads, podsByWorkload: podsByWorkload, previousLogs: previousLogs)
        let lastWords = CallerLastWords.index(spoken, services: serviceNamesByNamespace, clusterIPs: clusterIPs)
        (lastWordsByService, lastWordsByCaller) = lastWords
        unresolvedHosts = UnresolvedHost.index(spoken, services: serviceNamesByNamespace)
    }

    static func namespaces(_ namespaces: [Namespace]) -> [String: Namespace] {
        Dictionary(namespaces.map { ($0.metadata.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The previous-container logs of a snapshot's `podLogs`, by container.
    static func previousLogs(_ logs: [PodLog]) -> [ContainerKey: String] {
        Dictionary(logs.filter(\.previous).map {
            (ContainerKey(namespace: $0.metadata.namespace ?? "default", pod: $0.metadata.name, container: $0.container), $0.log)
        }, uniquingKeysWith: { _, b in b })
    }

    /// One container of one pod, as a key built without formatting a string.
    struct ContainerKey: Hashable {
        var namespace: String
        var pod: String
        var container: String
    }

    /// The targets whose diagnosis a watched change may alter, in this view (the one after the
    /// change): a changed pod's or ReplicaSet's workload (a deleted one names its controller
    /// in the change), a changed workload, and the Services that select them; a changed
    /// Service's or Endpoints' workloads; every target of a namespace where a change reaches
    /// further (a Service's old selector, a template's old labels). nil: every target.
    public func targets(touchedBy changes: ClusterChanges) -> Set<ObjectRef>? {
        guard !changes.everything else { return nil }
        var targets = Set<ObjectRef>()
        for namespace in changes.namespaces {
            targets.formUnion(workloads(in: namespace).map(\.ref))
            targets.formUnion((servicesByNamespace[namespace] ?? [:]).keys.map { ObjectRef(kind: "Service", namespace: namespace, name: $0) })
        }
        func workload(_ ref: ObjectRef) {
            targets.insert(ref)
            for service in servicesByWorkload[ref] ?? [] {
                targets.insert(ObjectRef(kind: "Service", namespace: ref.namespace, name: service.metadata.name))
            }
        }
        for object in changes.objects {
            switch object.kind {
            case "Pod", "ReplicaSet":
                if let owner = workloadByPart[object] {
                    workload(owner)
                } else if object.kind == "Pod" {
                    // Not in the view: deleted, and maybe a bare pod, a workload of its own.
                    targets.insert(object)
                }
            case "Deployment", "StatefulSet", "DaemonSet":
                workload(object)
            case "Service", "Endpoints":
                let service = ObjectRef(kind: "Service", namespace: object.namespace, name: object.name)
                targets.insert(service)
                for selected in workloadsByService[service] ?? [] {
                    targets.insert(selected.ref)
                }
            default:
                continue
            }
        }
        return targets
    }

    /// What of a view decides whether a later view may keep its service graph, and which
    /// crash logs came or went: `medic run` keeps this rather than the last view, whose joins
    /// it would share, so that the next patch (`patch(by:snapshot:)`) copies none of them.
    /// None of these is touched by a patch, so keeping them copies nothing either.
    public struct GraphInputs: Sendable {
        var serviceRefs: [ObjectRef]
        var workloadPositions: [ObjectRef: Int]
        var previousLogs: [ContainerKey: String]
    }

    public var graphInputs: GraphInputs {
        GraphInputs(serviceRefs: serviceRefs, workloadPositions: workloadPositions, previousLogs: previousLogs)
    }

    /// Whether `previous`'s service graph still holds for this view, given that no change
    /// between them reached a namespace (a Service, a template, a crash: see
    /// `ClusterChanges.namespaces`): the same workloads and Services, and the same crash logs,
    /// which a fetch that failed before may bring without a change. Collections a patch left
    /// as they were compare at once, by identity.
    public func sharesGraphInputs(with previous: GraphInputs) -> Bool {
        serviceRefs == previous.serviceRefs && workloadPositions == previous.workloadPositions
            && previousLogs == previous.previousLogs
    }

    /// The namespaces of the containers whose previous log this view has and `previous` had
    /// not, or had otherwise: crash logs can come or go without a watched change (a fetch that
    /// failed before, a crash loop the clock now sees), and last words reach their namespace.
    public func namespacesWithOtherCrashLogs(than previous: GraphInputs) -> Set<String> {
        guard previousLogs != previous.previousLogs else { return [] }
        var namespaces = Set<String>()
        for (key, log) in previousLogs where previous.previousLogs[key] != log { namespaces.insert(key.namespace) }
        for key in previous.previousLogs.keys where previousLogs[key] == nil { namespaces.insert(key.namespace) }
        return namespaces
    }

    /// A Deployment's ReplicaSets, newest revision first; equal revisions keep their order.
    static func newestFirst(_ sets: [ReplicaSet]) -> [ReplicaSet] {
        guard sets.count > 1 else { return sets }
        // Each revision read once, not at every comparison; positions sorted, not ReplicaSets.
        let revisions = sets.map { $0.revision ?? 0 }
        return sets.indices.sorted { revisions[$0] > revisions[$1] }.map { sets[$0] }
    }

    /// What `event` is about; nil when it does not say.
    static func involved(in event: Event) -> ObjectRef? {
        let object = event.involvedObject
        guard let kind = object.kind, let name = object.name else { return nil }
        return ObjectRef(kind: kind, namespace: object.namespace ?? event.metadata.namespace ?? "default", name: name)
    }

    /// An object's Events, oldest first; Events seen at the same instant keep their order.
    static func oldestFirst(_ events: [Event]) -> [Event] {
        events.sorted { ($0.lastSeen ?? .distantPast) < ($1.lastSeen ?? .distantPast) }
    }

    /// The workload a pod its controller `owner` owns is part of: its ReplicaSet's Deployment
    /// (`replicaSets` maps ReplicaSets to theirs), its StatefulSet or DaemonSet. nil for a
    /// Job's or a bare ReplicaSet's pod, which belong to no workload medic remediates.
    static func workload(of pod: Pod, ownedBy owner: OwnerReference, in namespace: String,
                         replicaSets: [ObjectRef: ObjectRef]) -> ObjectRef? {
        switch owner.kind {
        case "ReplicaSet":
            replicaSets[ObjectRef(kind: "ReplicaSet", namespace: namespace, name: owner.name)]
                ?? deployment(ofReplicaSet: owner.name, namespace: namespace, pod: pod)
        case "StatefulSet", "DaemonSet":
            ObjectRef(kind: owner.kind, namespace: namespace, name: owner.name)
        default:
            nil
        }
    }

    /// A pod whose ReplicaSet is not in the snapshot still names it `<deployment>-<pod-template-hash>`.
    private static func deployment(ofReplicaSet name: String, namespace: String, pod: Pod) -> ObjectRef? {
        guard let hash = pod.metadata.labels["pod-template-hash"], name.hasSuffix("-\(hash)") else { return nil }
        return ObjectRef(kind: "Deployment", namespace: namespace, name: String(name.dropLast(hash.count + 1)))
    }

    /// The workload `ref` names, if the view has it.
    public func workload(_ ref: ObjectRef) -> Workload? {
        workloadPositions[ref].map { workloads[$0] }
    }

    /// The Service `ref` names, if the view has it.
    public func service(_ ref: ObjectRef) -> Service? {
        ref.kind == "Service" ? servicesByNamespace[ref.namespace]?[ref.name] : nil
    }

    public func pods(of workload: Workload) -> [Pod] {
        podsByWorkload[workload.ref] ?? []
    }

    public func replicaSets(of workload: Workload) -> [ReplicaSet] {
        workload.kind == "Deployment"
            ? replicaSetsByDeployment[workload.ref] ?? [] : []
    }

    public func events(kind: String, namespace: String, name: String) -> [Event] {
        eventsByObject[ObjectRef(kind: kind, namespace: namespace, name: name)] ?? []
    }

    /// Events about the workload, its ReplicaSets and its pods, oldest first.
    public func events(of workload: Workload) -> [Event] {
        var all = events(kind: workload.kind, namespace: workload.namespace, name: workload.name)
        for replicaSet in replicaSets(of: workload) {
            all += events(kind: "ReplicaSet", namespace: workload.namespace, name: replicaSet.metadata.name)
        }
        for pod in pods(of: workload) {
            all += events(kind: "Pod", namespace: workload.namespace, name: pod.metadata.name)
        }
        return Self.oldestFirst(all)
    }

    /// Services in the workload's namespace whose selector matches its pod template labels.
    public func services(selecting workload: Workload) -> [Service] {
        servicesByWorkload[workload.ref] ?? []
    }

    public func pods(selectedBy service: Service) -> [Pod] {
        podsByService[service.ref] ?? []
    }

    /// Workloads in the Service's namespace whose pod template its selector matches.
    public func workloads(selectedBy service: Service) -> [Workload] {
        workloadsByService[service.ref] ?? []
    }

    /// The log of a container's instance before its last restart, when the snapshot has it.
    public func previousLog(namespace: String, pod: String, container: String) -> String? {
        previousLogs[ContainerKey(namespace: namespace, pod: pod, container: container)]
    }

    /// What the workload's crashed containers said last about the Services they call.
    public func lastWords(of workload: Workload) -> [CallerLastWords] {
        lastWordsByCaller[workload.ref] ?? []
    }

    /// Callers that could not resolve the name of `workload`'s missing Service: the workload's
    /// name, or it with a `-service`/`-svc` suffix.
    public func unresolved(meaning workload: Workload) -> [UnresolvedHost] {
        [workload.name, "\(workload.name)-service", "\(workload.name)-svc"].flatMap {
            unresolvedHosts["\(workload.namespace)/\($0)"] ?? []
        }.filter { $0.caller != workload.ref }
    }

    /// Crashed callers' last words about the Services that select `workload`.
    public func lastWords(about workload: Workload) -> [CallerLastWords] {
        services(selecting: workload).flatMap { service in
            lastWordsByService[service.ref] ?? []
        }.filter { $0.caller != workload.ref }
    }

    /// The Services of its namespace that `workload`'s environment addresses.
    public func calls(of workload: Workload) -> [ServiceCaller] {
        callsByWorkload[workload.ref] ?? []
    }

    /// Workloads whose environment names one of the Services that select `workload`.
    public func callers(of workload: Workload) -> [ServiceCaller] {
        services(selecting: workload).flatMap { service in
            callersByService[service.ref] ?? []
        }.filter { $0.workload != workload.ref }
    }

    public func workloads(in namespace: String) -> [Workload] {
        workloadsByNamespace[namespace] ?? []
    }
}

extension Service {
    public var selectorLabels: [String: String] { spec.selector }

    /// Whether a pod with `labels` is one this Service sends to: it has a selector, and the
    /// labels hold every one of its pairs (a Service without one selects nothing by itself).
    func selects(_ labels: [String: String]) -> Bool {
        !spec.selector.isEmpty && spec.selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
