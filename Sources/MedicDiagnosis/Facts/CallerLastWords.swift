import Foundation
import MedicKube

/// What a crashed container said last (its previous log, or its termination message) when that
/// text addresses a Service: by name in its namespace (`dial tcp mongodb-geo:27017`,
/// `http://users/login`), or by a Service's cluster IP in any namespace (`lookup consul on
/// 10.96.0.10:53` names kube-system's DNS Service). The service graph reads these as calls, and
/// `CallerRejection` reads them for a dependency that refused the caller's credentials.
public struct CallerLastWords: Sendable, Equatable {
    public var caller: ObjectRef
    public var container: String
    public var service: ObjectRef
    public var text: String

    /// Per Service, the crashed callers' last words naming it; and the same per caller, in the
    /// order they spoke (built here, not grouped from a dictionary's values, whose order
    /// differs from one build to the next).
    static func index(_ spoken: [Spoken], services: [String: Set<String>], clusterIPs: [String: ObjectRef])
        -> (byService: [ObjectRef: [CallerLastWords]], byCaller: [ObjectRef: [CallerLastWords]]) {
        var byService: [ObjectRef: [CallerLastWords]] = [:]
        var byCaller: [ObjectRef: [CallerLastWords]] = [:]
        for (workload, container, text) in spoken {
            let known = services[workload.namespace] ?? []
            let named = hosts(in: text, namespace: workload.namespace).filter(known.contains)
                .map { ObjectRef(kind: "Service", namespace: workload.namespace, name: $0) }
            for service in Set(named + addressedIPs(in: text).compactMap { clusterIPs[$0] })
                .sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
                let words = CallerLastWords(caller: workload.ref, container: container, service: service, text: text)
                byService[service, default: []].append(words)
                byCaller[words.caller, default: []].append(words)
            }
        }
        return (byService, byCaller)
    }

    /// A crashed container's last words: its workload, its name, and what it said.
    typealias Spoken = (workload: Workload, container: String, text: String)

    /// Every crashed container's last words: its previous log and its termination message.
    /// Gathered once per view for the readers of last words (this one and `UnresolvedHost`).
    static func all(workloads: [Workload], podsByWorkload: [ObjectRef: [Pod]],
                    previousLogs: [ClusterView.ContainerKey: String]) -> [Spoken] {
        var spoken: [Spoken] = []
        for workload in workloads {
            for pod in podsByWorkload[workload.ref] ?? [] {
                func each(_ statuses: [ContainerStatus]) {
                    for status in statuses {
                        if let message = status.lastState.terminated?.message ?? status.state.terminated?.message {
                            spoken.append((workload, status.name, message))
                        }
                        if !previousLogs.isEmpty,
                           let log = previousLogs[.init(namespace: workload.namespace, pod: pod.metadata.name, container: status.name)] {
                            spoken.append((workload, status.name, log))
                        }
                    }
                }
                each(pod.status.containerStatuses)
                each(pod.status.initContainerStatuses)
            }
        }
        return spoken
    }

    /// IPv4 addresses written with a port (`10.96.0.10:53`), for Services' cluster IPs.
    static func addressedIPs(in text: String) -> Set<String> {
        Set(addresses(in: text).filter { token in
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts.allSatisfy { part in part.count <= 3 && Int(part).map { $0 <= 255 } == true }
        })
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
