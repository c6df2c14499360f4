import Foundation
import MedicKube

/// Feature flags that inject faults, left on: the OpenTelemetry demo's flagd flags
/// (`adServiceFailure`, `paymentServiceUnreachable`, `productCatalogFailure`, `adServiceHighCpu`,
/// `imageSlowLoad`, …) are how AIOpsLab, ITBench and SREGym break the astronomy shop, and the
/// pods stay healthy while they do. A flag counts when its name says it breaks something, it
/// is enabled, and its default variant's value is on (true, a non-zero number, a word that is
/// not off). Read from flagd-style JSON in ConfigMaps.
///
/// The flag is attributed to the workload its name designates (`adServiceFailure` → `ad` or
/// `adservice`), else to the workloads that mount the ConfigMap (flagd itself).
public struct FeatureFlagFault: Sendable, Equatable {
    public var flag: String
    public var configMap: String
    public var key: String
    public var variant: String
    public var value: String
    /// A variant whose value is off, to switch it back to ("off" when the file has one).
    public var offVariant: String?
    /// The workload the flag's name designates, when exactly one does.
    public var designates: ObjectRef?

    static let faultWords = ["failure", "fail", "unreachable", "error", "highcpu", "cpu", "manualgc", "gc", "slow",
                             "flood", "problem", "problems", "leak", "latency", "delay", "chaos", "fault", "crash",
                             "outage", "kill", "corrupt", "memory", "timeout", "drop", "loss", "abort"]

    /// Every fault flag that is on in `configMap`, attributed among `workloads` of its namespace.
    public static func faults(in configMap: ConfigMap, workloads: [Workload]) -> [FeatureFlagFault] {
        var faults: [FeatureFlagFault] = []
        for (key, text) in configMap.data.sorted(by: { $0.key < $1.key }) {
            guard let document = try? JSON(parsing: text), let flags = document["flags"]?.object else { continue }
            for (name, definition) in flags.sorted(by: { $0.key < $1.key }) {
                let words = Self.words(name)
                guard words.contains(where: faultWords.contains),
                      (definition["state"]?.string ?? "ENABLED").uppercased() == "ENABLED",
                      let variant = definition["defaultVariant"]?.string,
                      let value = definition["variants"]?[variant], isOn(value) else { continue }
                let variants = definition["variants"]?.object ?? [:]
                let off = variants["off"].map { isOn($0) ? nil : "off" } ?? nil
                    ?? variants.keys.sorted().first { !isOn(variants[$0]!) }
                faults.append(FeatureFlagFault(
                    flag: name, configMap: configMap.metadata.name, key: key, variant: variant, value: show(value),
                    offVariant: off, designates: designated(by: words, among: workloads)))
            }
        }
        return faults
    }

    static func isOn(_ value: JSON) -> Bool {
        switch value {
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): ChaosFlags.isOn(text)
        default: false
        }
    }

    static func show(_ value: JSON) -> String {
        if case .string(let text) = value { text } else { value.text }
    }

    /// `adServiceHighCpu` → ["ad", "service", "high", "cpu"] joined where a fault word spans
    /// two (`highcpu`, `manualgc`).
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in name {
            if character.isUppercase || character == "-" || character == "_", !current.isEmpty {
                words.append(current.lowercased())
                current = ""
            }
            if character != "-" && character != "_" { current.append(character) }
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        var joined: [String] = []
        for word in words {
            if let last = joined.last, faultWords.contains(last + word) {
                joined[joined.count - 1] = last + word
            } else {
                joined.append(word)
            }
        }
        return joined
    }

    /// The one workload whose name is the flag's subject: the words before the fault words,
    /// without "service" (`productCatalog` → product-catalog, productcatalog, productcatalogservice).
    static func designated(by words: [String], among workloads: [Workload]) -> ObjectRef? {
        let subject = words.prefix { !faultWords.contains($0) && $0 != "service" && $0 != "cache" && $0 != "queue" }
        guard !subject.isEmpty else { return nil }
        let compact = subject.joined()
        let matches = workloads.filter { workload in
            let name = workload.name.lowercased().replacingOccurrences(of: "-", with: "")
            return name == compact || name == compact + "service" || name == compact + "svc"
        }
        return matches.count == 1 ? matches[0].ref : nil
    }
}

extension Workload {
    /// Whether the pod template reads ConfigMap `name` (a volume, envFrom or a key reference).
    func reads(configMap name: String) -> Bool {
        template.spec.volumes.contains { $0["configMap"]?["name"]?.string == name }
            || containers.contains { container in
                container.envFrom.contains { $0.configMapRef?.name == name }
                    || container.env.contains { $0.valueFrom?.configMapKeyRef?.name == name }
            }
    }
}
