import MedicRunbook
import MedicKube

/// Which workload a Service that selects nothing was plainly meant for. A workload in the same
/// namespace is a candidate when its name is the Service's, or when every selector value
/// differs from its pod label under the same key by a typo. One value merely containing the
/// other is no resemblance: `geo` is not `mongodb-geo`. Among several candidates, the one
/// named like the Service wins, then the one whose containers serve the Service's target
/// ports; a tie left after that, or no candidate, and medic does not choose. The proposed
/// selector keeps the Service's keys with the workload's values; it is `exclusive` only if it
/// would select no other workload's pods.
public struct IntendedWorkload: Sendable, Equatable {
    public var workload: ObjectRef
    public var proposedSelector: [String: String]
    /// Selector keys the fix removes because the workload's pods do not carry them.
    public var removedKeys: [String]
    public var reasons: [String]
    /// Other workloads whose pods the proposed selector would also select.
    public var alsoSelects: [String]
    public var exclusive: Bool { alsoSelects.isEmpty }

    public static func candidates(for service: Service, among workloads: [Workload]) -> [IntendedWorkload] {
        let selector = service.selectorLabels
        guard !selector.isEmpty else { return [] }
        var candidates: [IntendedWorkload] = []
        let serviceName = normalized(service.metadata.name)
        // Read in place: each Service that selects nothing is compared with every workload
        // of its namespace, and copying a workload out retains every field it holds.
        for index in workloads.indices {
            let labels = workloads[index].podLabels
            if selector.allSatisfy({ labels[$0.key] == $0.value }) { continue }
            var reasons: [String] = []
            let name = workloads[index].name
            if normalized(name) == serviceName {
                reasons.append("\(workloads[index].kind) \(name) has the Service's name")
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
            if proposed.isEmpty { proposed = workloads[index].selector?.matchLabels ?? labels }
            let removed = selector.keys.filter { proposed[$0] == nil }.sorted()
            let others = workloads.indices.filter { other in
                workloads[other].name != name && proposed.allSatisfy { workloads[other].podLabels[$0.key] == $0.value }
            }.map { workloads[$0].name }
            candidates.append(IntendedWorkload(workload: workloads[index].ref, proposedSelector: proposed,
                                               removedKeys: removed, reasons: reasons, alsoSelects: others))
        }
        return tieBroken(candidates, service: service, workloads: workloads)
    }

    /// Exact name first, then the served target ports; the winner says whom it was chosen over.
    static func tieBroken(_ candidates: [IntendedWorkload], service: Service,
                          workloads: [Workload]) -> [IntendedWorkload] {
        guard candidates.count > 1 else { return candidates }
        let named = candidates.filter { normalized($0.workload.name) == normalized(service.metadata.name) }
        let targets = service.spec.ports.map { $0.targetPort ?? .int($0.port) }
        let serving = candidates.filter { candidate in
            guard let index = workloads.firstIndex(where: { $0.ref == candidate.workload }) else { return false }
            return !targets.isEmpty && targets.allSatisfy { target in
                workloads[index].containers.contains { container in
                    switch target {
                    case .int(let number): container.ports.contains { $0.containerPort == number }
                    case .string(let name): container.port(named: name) != nil
                    }
                }
            }
        }
        for (winners, why) in [(named, "its name is the Service's"), (serving, "it serves the Service's target ports")]
        where winners.count == 1 {
            var winner = winners[0]
            let others = candidates.filter { $0.workload != winner.workload }.map(\.workload.name).sorted()
            winner.reasons.append("chosen over \(others.joined(separator: ", ")) because \(why)")
            return [winner]
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
        if a == b { return true }
        // The cheap tests first: this compares a selector with every workload of a namespace.
        guard min(a.count, b.count) > 3, abs(a.count - b.count) <= 2 else { return false }
        return Spelling.editDistance(a, b, limit: 2) <= 2
    }
}

