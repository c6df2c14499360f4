import Foundation
import MedicKube

/// A crashed caller's last words say a name did not resolve (`dial tcp: lookup consul on
/// 10.96.0.10:53: no such host`, `getaddrinfo ENOTFOUND consul`, `UnknownHostException:
/// consul`, `Could not resolve host: consul`), and no Service of that name exists in its
/// namespace. When a workload there is plainly the one meant (its name is the host, or the host
/// with a `-service`/`-svc` suffix), its Service is missing: deleted or never created.
public struct UnresolvedHost: Sendable, Equatable {
    public var caller: ObjectRef
    public var container: String
    public var host: String
    /// The port the caller used with the name, when its words show one (`consul:8500`).
    public var port: Int?
    public var line: String

    /// Unresolved names per namespace and host (keyed `namespace/host`), Services excluded.
    static func index(_ spoken: [CallerLastWords.Spoken], services: [String: Set<String>]) -> [String: [UnresolvedHost]] {
        var index: [String: [UnresolvedHost]] = [:]
        for (workload, container, text) in spoken {
            for line in text.split(whereSeparator: \.isNewline).map(String.init) {
                guard let host = unresolved(in: line, namespace: workload.namespace),
                      !(services[workload.namespace] ?? []).contains(host) else { continue }
                let key = "\(workload.namespace)/\(host)"
                guard !(index[key] ?? []).contains(where: { $0.caller == workload.ref && $0.container == container }) else { continue }
                index[key, default: []].append(UnresolvedHost(caller: workload.ref, container: container, host: host,
                                                              port: port(of: host, in: line), line: String(line.prefix(300))))
            }
        }
        return index
    }

    /// Resolver texts of Go, Node, Java, curl and libpq, each with the name that failed.
    static let patterns: [NSRegularExpression] = [
        #"lookup ([a-z0-9.-]+)(?: on [0-9a-f.:\[\]]+)?: no such host"#,
        #"getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([a-z0-9.-]+)"#,
        #"UnknownHostException: ([a-z0-9.-]+)"#,
        #"Could not resolve host: ([a-z0-9.-]+)"#,
        #"could not translate host name "([a-z0-9.-]+)" to address"#,
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    /// The Service-shaped name a line says did not resolve, in `namespace`'s short form.
    static func unresolved(in line: String, namespace: String) -> String? {
        let range = NSRange(line.startIndex..., in: line)
        for pattern in patterns {
            guard let match = pattern.firstMatch(in: line, range: range),
                  let found = Range(match.range(at: 1), in: line) else { continue }
            let labels = line[found].split(separator: ".").map(String.init)
            guard let name = labels.first, DanglingServiceReference.isServiceName(name),
                  labels.count == 1 || labels[1] == namespace, labels.count <= 2 || labels[2] == "svc" else { continue }
            return name
        }
        return nil
    }

    static func port(of host: String, in line: String) -> Int? {
        guard let range = line.range(of: "\(host):") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
