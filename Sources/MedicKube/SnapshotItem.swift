import Foundation

/// One object of a snapshot, decoded into the model its `kind` names: what both the
/// whole-document decode and the item-at-a-time decode (`SnapshotListDecoder`) add to a
/// `Snapshot`, so the two cannot sort an object differently.
enum SnapshotItem {
    case namespace(Namespace)
    case pod(Pod)
    case deployment(Deployment)
    case replicaSet(ReplicaSet)
    case statefulSet(StatefulSet)
    case daemonSet(DaemonSet)
    case job(Job)
    case service(Service)
    case endpoints(Endpoints)
    case event(Event)
    case configMap(ConfigMap)
    case networkPolicy(NetworkPolicy)
    case ingress(Ingress)
    case httpRoute(HTTPRoute)
    case chaosExperiment(ChaosExperiment)
    case podLog(PodLog)
    /// A kind medic does not read, by the name `Snapshot.ignoredKinds` counts it under.
    case ignored(String)

    private enum Key: String, CodingKey {
        case kind, apiVersion
    }

    /// Decodes one object; `listKind` is a typed list's element kind (for items without
    /// `kind`), `listAPIVersion` the List's `apiVersion` (for items without one).
    init(from decoder: any Decoder, listKind: String?, listAPIVersion: String?) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? listAPIVersion
        guard let kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? listKind else {
            throw DecodingError.keyNotFound(
                Key.kind,
                .init(codingPath: decoder.codingPath, debugDescription: "every item of a List needs a kind")
            )
        }
        func decoded<Object: SnapshotObject & Decodable>(_ type: Object.Type) throws -> Object {
            var object = try Object(from: decoder)
            object.kind = kind
            object.apiVersion = object.apiVersion ?? apiVersion
            return object
        }
        switch kind {
        case "Namespace": self = .namespace(try decoded(Namespace.self))
        case "Pod": self = .pod(try decoded(Pod.self))
        case "Deployment": self = .deployment(try decoded(Deployment.self))
        case "ReplicaSet": self = .replicaSet(try decoded(ReplicaSet.self))
        case "StatefulSet": self = .statefulSet(try decoded(StatefulSet.self))
        case "DaemonSet": self = .daemonSet(try decoded(DaemonSet.self))
        case "Job": self = .job(try decoded(Job.self))
        case "Service": self = .service(try decoded(Service.self))
        case "Endpoints": self = .endpoints(try decoded(Endpoints.self))
        case "ConfigMap":
            // Only feature-flag files are kept; a ConfigMap without one counts as ignored.
            let configMap = try decoded(ConfigMap.self)
            self = configMap.data.isEmpty ? .ignored(kind) : .configMap(configMap)
        case "NetworkPolicy": self = .networkPolicy(try decoded(NetworkPolicy.self))
        case "Ingress" where apiVersion?.hasPrefix("networking.k8s.io/") != false:
            self = .ingress(try decoded(Ingress.self))
        case "HTTPRoute" where apiVersion?.hasPrefix("gateway.networking.k8s.io/") != false:
            self = .httpRoute(try decoded(HTTPRoute.self))
        case _ where ChaosExperiment.isExperiment(kind: kind, apiVersion: apiVersion):
            self = .chaosExperiment(try decoded(ChaosExperiment.self))
        case "Event" where apiVersion?.hasPrefix("events.k8s.io/") != true:
            self = .event(try decoded(Event.self))
        case PodLog.kind where apiVersion == PodLog.apiVersion:
            self = .podLog(try PodLog(from: decoder))
        default:
            self = .ignored(kind == "Event" ? "Event (\(apiVersion ?? ""))" : kind)
        }
    }
}

extension Snapshot {
    /// Files the object under its kind, after those already there.
    mutating func add(_ item: SnapshotItem) {
        switch item {
        case .namespace(let object): namespaces.append(object)
        case .pod(let object): pods.append(object)
        case .deployment(let object): deployments.append(object)
        case .replicaSet(let object): replicaSets.append(object)
        case .statefulSet(let object): statefulSets.append(object)
        case .daemonSet(let object): daemonSets.append(object)
        case .job(let object): jobs.append(object)
        case .service(let object): services.append(object)
        case .endpoints(let object): endpoints.append(object)
        case .event(let object): events.append(object)
        case .configMap(let object): configMaps.append(object)
        case .networkPolicy(let object): networkPolicies.append(object)
        case .ingress(let object): ingresses.append(object)
        case .httpRoute(let object): httpRoutes.append(object)
        case .chaosExperiment(let object): chaosExperiments.append(object)
        case .podLog(let object): podLogs.append(object)
        case .ignored(let name): ignoredKinds[name, default: 0] += 1
        }
    }

    /// Another snapshot's objects after these, as if read on from the same file.
    mutating func append(contentsOf other: Snapshot) {
        namespaces += other.namespaces
        pods += other.pods
        deployments += other.deployments
        replicaSets += other.replicaSets
        statefulSets += other.statefulSets
        daemonSets += other.daemonSets
        jobs += other.jobs
        services += other.services
        endpoints += other.endpoints
        events += other.events
        configMaps += other.configMaps
        networkPolicies += other.networkPolicies
        ingresses += other.ingresses
        httpRoutes += other.httpRoutes
        chaosExperiments += other.chaosExperiments
        podLogs += other.podLogs
        ignoredKinds.merge(other.ignoredKinds, uniquingKeysWith: +)
    }
}
