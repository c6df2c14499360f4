import Foundation

/// Everything one `kubectl get … -o json` file holds, sorted by kind: the offline input of
/// `medic advise --snapshot`, and the shape the live reader fills too.
public struct Snapshot: Sendable, Hashable {
    public var namespaces: [Namespace]
    public var pods: [Pod]
    public var deployments: [Deployment]
    public var replicaSets: [ReplicaSet]
    public var statefulSets: [StatefulSet]
    public var daemonSets: [DaemonSet]
    public var jobs: [Job]
    public var services: [Service]
    public var endpoints: [Endpoints]
    public var events: [Event]
    /// ConfigMaps holding feature-flag files, with only those keys (see `ConfigMap`).
    public var configMaps: [ConfigMap]
    /// NetworkPolicies: a policy that lets no traffic reach a workload others call cuts it off.
    public var networkPolicies: [NetworkPolicy]
    /// Ingresses and Gateway API HTTPRoutes: the Services they route to are entry points.
    public var ingresses: [Ingress]
    public var httpRoutes: [HTTPRoute]
    /// Chaos Mesh and LitmusChaos experiments (see `ChaosExperiment`).
    public var chaosExperiments: [ChaosExperiment]
    /// Logs of crashed containers saved with the objects (`PodLog` items, see PodLog.swift).
    public var podLogs: [PodLog]
    /// Objects of kinds medic does not read (`ConfigMap: 3`), counted so a report can say what
    /// was skipped. Not an error: `kubectl get all` mixes in whatever exists.
    public var ignoredKinds: [String: Int]
    /// When the state was read: `medic snapshot` records it as the List's
    /// `medic.io/captured-at` annotation, and `advise --snapshot` evaluates at that instant.
    /// nil for a plain `kubectl get -o json` file, which does not say.
    public var capturedAt: Date?

    /// The List annotation that holds `capturedAt`.
    public static let capturedAtAnnotation = "medic.io/captured-at"

    public init(
        namespaces: [Namespace] = [],
        pods: [Pod] = [],
        deployments: [Deployment] = [],
        replicaSets: [ReplicaSet] = [],
        statefulSets: [StatefulSet] = [],
        daemonSets: [DaemonSet] = [],
        jobs: [Job] = [],
        services: [Service] = [],
        endpoints: [Endpoints] = [],
        events: [Event] = [],
        configMaps: [ConfigMap] = [],
        networkPolicies: [NetworkPolicy] = [],
        ingresses: [Ingress] = [],
        httpRoutes: [HTTPRoute] = [],
        chaosExperiments: [ChaosExperiment] = [],
        podLogs: [PodLog] = [],
        ignoredKinds: [String: Int] = [:],
        capturedAt: Date? = nil
    ) {
        self.namespaces = namespaces
        self.pods = pods
        self.deployments = deployments
        self.replicaSets = replicaSets
        self.statefulSets = statefulSets
        self.daemonSets = daemonSets
        self.jobs = jobs
        self.services = services
        self.endpoints = endpoints
        self.events = events
        self.configMaps = configMaps
        self.networkPolicies = networkPolicies
        self.ingresses = ingresses
        self.httpRoutes = httpRoutes
        self.chaosExperiments = chaosExperiments
        self.podLogs = podLogs
        self.ignoredKinds = ignoredKinds
        self.capturedAt = capturedAt
    }

    /// Decodes a `List` of mixed kinds, a typed list (`PodList`, whose items may lack `kind`),
    /// or a single object. `source` names the input in error messages.
    ///
    /// A List is decoded one item at a time (`SnapshotListDecoder`); anything else, and any
    /// List that fails, is decoded as one document, then read again to say where and why.
    public static func decode(_ data: Data, source: String) throws(SnapshotError) -> Snapshot {
        if let snapshot = data.withUnsafeBytes({ SnapshotListDecoder.decode($0) }) {
            return snapshot
        }
        return try decodeWhole(data, source: source)
    }

    /// The whole document in one pass, with errors that name the line and column, or the item
    /// and field.
    private static func decodeWhole(_ data: Data, source: String) throws(SnapshotError) -> Snapshot {
        do {
            return try KubeJSON.makeDecoder().decode(SnapshotDocument.self, from: data).snapshot
        } catch let error as DecodingError {
            throw SnapshotError(decoding: error, in: data, source: source)
        } catch {
            throw SnapshotError(code: .invalidContent, source: source, problem: String(describing: error))
        }
    }

    /// Reads and decodes a snapshot file; errors name the file as given.
    public static func load(contentsOf url: URL) throws(SnapshotError) -> Snapshot {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SnapshotError(
                code: .unreadableFile, source: url.relativePath,
                problem: "is a directory; a snapshot is one JSON file, the output of "
                    + "`kubectl get ns,pods,deploy,rs,sts,ds,svc,endpoints,events -A -o json` or `medic snapshot -o FILE`")
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SnapshotError(code: .unreadableFile, source: url.relativePath, problem: "no such file; expected a snapshot: one JSON file, "
                + "the output of `medic snapshot -o FILE` or `kubectl get … -o json`")
        }
        // Mapped, so pages already decoded can be dropped (`MappedFile`).
        if let file = MappedFile(path: url.path) {
            defer { withExtendedLifetime(file) {} }
            let snapshot = file.withUnsafeBytes { SnapshotListDecoder.decode($0) { file.release($0) } }
            if let snapshot { return snapshot }
            return try decodeWhole(file.data, source: url.relativePath)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SnapshotError(
                code: .unreadableFile,
                source: url.relativePath,
                problem: "cannot read it as a snapshot (one JSON file): \(error.localizedDescription)"
            )
        }
        return try decodeWhole(data, source: url.relativePath)
    }

    /// Both snapshots together, as if read from one file. An object present in both (same
    /// kind, namespace and name) is taken from `other`, the later reading.
    public func merged(with other: Snapshot) -> Snapshot {
        Snapshot(
            namespaces: Self.merge(namespaces, other.namespaces),
            pods: Self.merge(pods, other.pods),
            deployments: Self.merge(deployments, other.deployments),
            replicaSets: Self.merge(replicaSets, other.replicaSets),
            statefulSets: Self.merge(statefulSets, other.statefulSets),
            daemonSets: Self.merge(daemonSets, other.daemonSets),
            jobs: Self.merge(jobs, other.jobs),
            services: Self.merge(services, other.services),
            endpoints: Self.merge(endpoints, other.endpoints),
            events: Self.merge(events, other.events),
            configMaps: Self.merge(configMaps, other.configMaps),
            networkPolicies: Self.merge(networkPolicies, other.networkPolicies),
            ingresses: Self.merge(ingresses, other.ingresses),
            httpRoutes: Self.merge(httpRoutes, other.httpRoutes),
            chaosExperiments: Self.merge(chaosExperiments, other.chaosExperiments),
            podLogs: podLogs.filter { log in !other.podLogs.contains { $0.key == log.key } } + other.podLogs,
            ignoredKinds: ignoredKinds.merging(other.ignoredKinds, uniquingKeysWith: +),
            capturedAt: other.capturedAt ?? capturedAt
        )
    }

    private static func merge<Object: SnapshotObject>(_ first: [Object], _ second: [Object]) -> [Object] {
        guard !first.isEmpty, !second.isEmpty else { return first + second }
        let replaced = Set(second.map(\.key))
        return first.filter { !replaced.contains($0.key) } + second
    }
}

/// The top-level models a snapshot sorts objects into.
protocol SnapshotObject {
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ObjectMeta { get }
}

extension SnapshotObject {
    /// Namespace and name: unique within one kind.
    var key: String { "\(metadata.namespace ?? "")/\(metadata.name)" }
}

extension Namespace: SnapshotObject {}
extension Pod: SnapshotObject {}
extension Deployment: SnapshotObject {}
extension ReplicaSet: SnapshotObject {}
extension StatefulSet: SnapshotObject {}
extension DaemonSet: SnapshotObject {}
extension Job: SnapshotObject {}
extension Service: SnapshotObject {}
extension Endpoints: SnapshotObject {}
extension Event: SnapshotObject {}
extension ConfigMap: SnapshotObject {}
extension NetworkPolicy: SnapshotObject {}
extension Ingress: SnapshotObject {}
extension HTTPRoute: SnapshotObject {}
extension ChaosExperiment: SnapshotObject {}

/// The file as a whole. Items are decoded straight into the snapshot's arrays, dispatching on
/// each item's `kind` (or, for a typed list, the list's element kind).
struct SnapshotDocument: Decodable {
    var snapshot = Snapshot()

    enum Key: String, CodingKey {
        case kind, apiVersion, items, metadata
    }

    private struct ListMeta: Decodable {
        var annotations: [String: String]?
    }

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: Key.self)
        let kind = try top.decodeIfPresent(String.self, forKey: .kind)
        guard let kind, kind.hasSuffix("List") else {
            try add(from: decoder, listKind: nil, listAPIVersion: nil)
            return
        }
        let listAPIVersion = try top.decodeIfPresent(String.self, forKey: .apiVersion)
        if let annotations = try? top.decodeIfPresent(ListMeta.self, forKey: .metadata)?.annotations,
           let captured = annotations[Snapshot.capturedAtAnnotation] {
            snapshot.capturedAt = RFC3339.parse(captured)
        }
        let elementKind = kind == "List" ? nil : String(kind.dropLast(4))
        guard try top.contains(.items) && !top.decodeNil(forKey: .items) else { return }
        var items = try top.nestedUnkeyedContainer(forKey: .items)
        while !items.isAtEnd {
            try add(from: items.superDecoder(), listKind: elementKind, listAPIVersion: listAPIVersion)
        }
    }

    private mutating func add(from decoder: any Decoder, listKind: String?, listAPIVersion: String?) throws {
        snapshot.add(try SnapshotItem(from: decoder, listKind: listKind, listAPIVersion: listAPIVersion))
    }
}
