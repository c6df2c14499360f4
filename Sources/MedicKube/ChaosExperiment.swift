import Foundation

/// A fault-injection experiment of Chaos Mesh (`chaos-mesh.org`: PodChaos, NetworkChaos,
/// StressChaos, …) or LitmusChaos (`litmuschaos.io` ChaosEngine), as far as medic judges one:
/// which pods it aims at and whether it is still injecting. An experiment left running in a
/// namespace not meant for chaos is the cause of whatever its targets suffer.
public struct ChaosExperiment: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    /// The kinds medic reads, by API group.
    public static let chaosMeshKinds: Set<String> = [
        "PodChaos", "NetworkChaos", "StressChaos", "IOChaos", "HTTPChaos", "TimeChaos", "DNSChaos", "KernelChaos",
        "JVMChaos",
    ]
    public static let litmusKinds: Set<String> = ["ChaosEngine"]

    public static func isExperiment(kind: String, apiVersion: String?) -> Bool {
        let group = apiVersion?.split(separator: "/").first.map(String.init) ?? ""
        return (group == "chaos-mesh.org" && chaosMeshKinds.contains(kind))
            || (group == "litmuschaos.io" && litmusKinds.contains(kind))
    }

    public struct Spec: Codable, Sendable, Hashable {
        /// Chaos Mesh: `pod-failure`, `delay`, `loss`, `partition`, … (StressChaos has none).
        public var action: String?
        /// Chaos Mesh's pod selector.
        public var selector: Selector?
        /// Chaos Mesh: how long each injection lasts (`30s`); absent runs until deleted.
        public var duration: String?
        /// LitmusChaos: `active` or `stop`.
        public var engineState: String?
        /// LitmusChaos: the application under test.
        public var appinfo: AppInfo?
        /// LitmusChaos: the experiments it runs (`pod-delete`, `pod-network-latency`, …).
        public var experiments: [LitmusExperiment]?
    }

    public struct Selector: Codable, Sendable, Hashable {
        public var namespaces: [String]?
        public var labelSelectors: [String: String]?
        /// Namespace to pod names.
        public var pods: [String: [String]]?
    }

    public struct AppInfo: Codable, Sendable, Hashable {
        public var appns: String?
        /// `key=value`.
        public var applabel: String?
        public var appkind: String?
    }

    public struct LitmusExperiment: Codable, Sendable, Hashable {
        public var name: String
    }

    public struct Status: Codable, Sendable, Hashable {
        /// Chaos Mesh: `desiredPhase` `Run` or `Stop`.
        public var experiment: Phase?
        /// LitmusChaos: `initialized`, `completed`, `stopped`.
        public var engineStatus: String?
    }

    public struct Phase: Codable, Sendable, Hashable {
        public var desiredPhase: String?
    }

    /// Still injecting: not paused, not stopped, not completed.
    public var isActive: Bool {
        if metadata.annotations["experiment.chaos-mesh.org/pause"] == "true" { return false }
        if status?.experiment?.desiredPhase == "Stop" { return false }
        if spec.engineState == "stop" { return false }
        if let engine = status?.engineStatus, ["completed", "stopped"].contains(engine) { return false }
        return true
    }

    /// What it injects, for a person: `delay`, `pod-network-latency`, `stress`.
    public var injects: String {
        spec.action ?? spec.experiments.map { $0.map(\.name).joined(separator: ", ") }
            ?? (kind ?? "chaos").replacingOccurrences(of: "Chaos", with: "").lowercased()
    }

    /// Whether a pod in `namespace` with `labels` (and `name`) is among its targets.
    public func targets(namespace: String, name: String, labels: [String: String]) -> Bool {
        let own = metadata.namespace ?? "default"
        if let appinfo = spec.appinfo {
            guard (appinfo.appns ?? own) == namespace else { return false }
            guard let label = appinfo.applabel, !label.isEmpty else { return true }
            let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 && labels[parts[0]] == parts[1]
        }
        guard let selector = spec.selector else { return false }
        if let pods = selector.pods { return pods[namespace]?.contains(name) ?? false }
        guard (selector.namespaces ?? [own]).contains(namespace) else { return false }
        return (selector.labelSelectors ?? [:]).allSatisfy { labels[$0.key] == $0.value }
    }
}
