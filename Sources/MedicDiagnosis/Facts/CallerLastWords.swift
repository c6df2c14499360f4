import Foundation
import MedicKube

/// What a crashed container said last (its previous log, or its termination message) when that
/// text addresses a Service of its namespace: `dial tcp mongodb-geo:27017`,
/// `http://users/login`. The service graph reads these as calls, and `CallerRejection` reads
/// them for a dependency that refused the caller's credentials.
public struct CallerLastWords: Sendable, Equatable {
    public var caller: ObjectRef
    public var container: String
    public var service: String
    public var text: String

    /// Per Service (keyed `Service/namespace/name`), the crashed callers' last words naming it.
    static func index(workloads: [Workload], podsByWorkload: [String: [Pod]], previousLogs: [String: String],
                      services: [String: Set<String>]) -> [String: [CallerLastWords]] {
        var index: [String: [CallerLastWords]] = [:]
        for workload in workloads {
            let known = services[workload.namespace] ?? []
            guard !known.isEmpty else { continue }
            for pod in podsByWorkload[ClusterView.key(workload.kind, workload.namespace, workload.name)] ?? [] {
                for status in pod.status.containerStatuses + pod.status.initContainerStatuses {
                    let message = status.lastState.terminated?.message ?? status.state.terminated?.message
                    let log = previousLogs["\(workload.namespace)/\(pod.metadata.name)/\(status.name)"]
                    for text in [message, log].compactMap({ $0 }) {
                        for host in hosts(in: text, namespace: workload.namespace).sorted() where known.contains(host) {
                            index[ClusterView.key("Service", workload.namespace, host), default: []].append(
                                CallerLastWords(caller: workload.ref, container: status.name, service: host, text: text))
                        }
                    }
                }
            }
        }
        return index
    }

    /// Service names a text addresses in `namespace`: `name:port`, `scheme://name`, and the
    /// `name.namespace[.svc[.cluster.local]]` forms of both. A bare word is not an address.
    static func hosts(in text: String, namespace: String) -> Set<String> {
        var hosts = Set<String>()
        for token in addresses(in: text) {
            let labels = token.split(separator: ".").map(String.init)
            guard let name = labels.first, DanglingServiceReference.isServiceName(name) else { continue }
            let local = labels.count == 1 || labels[1] == namespace
            let clusterForm = labels.count <= 2 || labels.dropFirst(2).first == "svc"
            if local && clusterForm { hosts.insert(name) }
        }
        return hosts
    }

    /// Host-like tokens followed by `:<digit>` or preceded by `://`.
    static func addresses(in text: String) -> [String] {
        var found: [String] = []
        let isHostCharacter = { (c: Character) in c.isASCII && (c.isLowercase || c.isNumber || c == "-" || c == ".") }
        var index = text.startIndex
        while index < text.endIndex {
            guard isHostCharacter(text[index]) else { index = text.index(after: index); continue }
            let start = index
            while index < text.endIndex, isHostCharacter(text[index]) { index = text.index(after: index) }
            let token = text[start..<index].trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let afterScheme = text[..<start].hasSuffix("://")
            let rest = text[index...]
            let beforePort = rest.first == ":" && rest.dropFirst().first?.isNumber == true
            if (afterScheme || beforePort) && !token.isEmpty { found.append(token) }
        }
        return found
    }
}
