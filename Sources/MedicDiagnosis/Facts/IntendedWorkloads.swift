import MedicRunbook
import MedicKube

/// Which workload a Service that selects nothing was plainly meant for. A workload in the same
/// namespace is a candidate when its name is the Service's, or when every selector value
/// resembles its pod label under the same key (one contains the other, or they differ by a
/// typo). The proposed selector keeps the Service's keys with the workload's values; it is
/// `exclusive` only if it would select no other workload's pods. Two candidates, or none,
/// and medic does not choose.
public struct IntendedWorkload: Sendable, Equatable {
    public var workload: ObjectRef
    public var proposedSelector: [String: String]
    /// Selector keys the fix removes because the workload's pods do not carry them.
    public var removedKeys: [String]
    public var reasons: [String]
    public var exclusive: Bool

    public static func candidates(for service: Service, among workloads: [Workload]) -> [IntendedWorkload] {
        let selector = service.selectorLabels
        guard !selector.isEmpty else { return [] }
        var candidates: [IntendedWorkload] = []
        for workload in workloads {
            let labels = workload.podLabels
            if selector.allSatisfy({ labels[$0.key] == $0.value }) { continue }
            var reasons: [String] = []
            if normalized(workload.name) == normalized(service.metadata.name) {
                reasons.append("\(workload.kind) \(workload.name) has the Service's name")
            }
            let resembling = selector.sorted { $0.key < $1.key }.compactMap { key, value -> String? in
                guard let actual = labels[key], resembles(value, actual) else { return nil }
                return "selector \(key)=\(value) resembles pod label \(key)=\(actual)"
            }
            if resembling.count == selector.count {
                reasons += resembling
            }
            guard !reasons.isEmpty else { continue }
            var proposed: [String: String] = [:]
            for key in selector.keys { if let value = labels[key] { proposed[key] = value } }
            if proposed.isEmpty { proposed = workload.selector?.matchLabels ?? labels }
            let removed = selector.keys.filter { proposed[$0] == nil }.sorted()
            let selectsOthers = workloads.contains { other in
                other.name != workload.name && proposed.allSatisfy { other.podLabels[$0.key] == $0.value }
            }
            candidates.append(IntendedWorkload(workload: workload.ref, proposedSelector: proposed,
                                               removedKeys: removed, reasons: reasons, exclusive: !selectsOthers))
        }
        return candidates
    }

    static func normalized(_ name: String) -> String {
        for suffix in ["-service", "-svc"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    static func resembles(_ a: String, _ b: String) -> Bool {
        guard !a.isEmpty, !b.isEmpty else { return false }
        if a == b || a.contains(b) || b.contains(a) { return true }
        return Spelling.editDistance(a, b) <= 2 && min(a.count, b.count) > 3
    }
}

