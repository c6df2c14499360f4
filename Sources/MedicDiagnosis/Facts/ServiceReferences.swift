import Foundation
import MedicKube
import MedicRunbook

/// Environment values that address a Service that does not exist (`DATABASE_URL=postgres://
/// database:5432/orders` where only `database-service` exists). Values are read as URLs,
/// `host:port`, or a bare host when the variable is named like one (`*_HOST`, `*_ADDR`, …); a host is a Service reference when it is a single DNS label or
/// ends in `.svc` / `.svc.cluster.local` (`name`, `name.ns`, `name.ns.svc…`). The near-identical
/// Services in that namespace (a typo apart, equal but for a `-service`/`-svc` suffix, or one name
/// inside the other) are candidates; with exactly one, and that one more than a name inside the
/// other, the fixed value swaps the name and keeps everything else.
public struct DanglingServiceReference: Sendable, Equatable {
    public var variable: String
    public var value: String
    public var service: String
    public var namespace: String
    public var candidates: [String]
    public var fixedValue: String?

    public static func find(name variable: String, value: String, namespace: String,
                            services: Set<String>) -> DanglingServiceReference? {
        guard let (host, range) = host(in: value, variable: variable) else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        guard let first = labels.first, isServiceName(first) else { return nil }
        let referenced: (name: String, namespace: String)
        switch labels.count {
        case 1: referenced = (first, namespace)
        case 2 where isServiceName(labels[1]): referenced = (first, labels[1])
        default:
            guard host.hasSuffix(".svc") || host.hasSuffix(".svc.cluster.local"), labels.count >= 3 else { return nil }
            referenced = (first, labels[1])
        }
        // Only this namespace's Services are known for certain; another namespace may hold it.
        guard referenced.namespace == namespace, !services.contains(referenced.name) else { return nil }
        let strong = services.filter { resembles(referenced.name, $0) }
        let candidates = services.filter { strong.contains($0) || $0.contains(referenced.name) || referenced.name.contains($0) }
            .sorted()
        guard !candidates.isEmpty else { return nil }
        var fixed: String?
        if candidates.count == 1, strong.contains(candidates[0]) {
            let newHost = ([candidates[0]] + labels.dropFirst()).joined(separator: ".")
            fixed = value.replacingCharacters(in: range, with: newHost)
        }
        return DanglingServiceReference(variable: variable, value: value, service: referenced.name,
                                        namespace: namespace, candidates: candidates, fixedValue: fixed)
    }

    /// The host part of a URL, `host:port`, or a bare host, with where it sits in the value.
    static func host(in value: String, variable: String) -> (String, Range<String.Index>)? {
        var rest = value[...]
        // Not Foundation's searches: this runs for every environment value of every workload
        // in each pass.
        let hasScheme = value.containsBytes("://")
        if hasScheme, let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.firstIndex(of: "@"), rest[..<at].allSatisfy({ $0 != "/" }) { rest = rest[rest.index(after: at)...] }
        let end = rest.firstIndex { ":/?#".contains($0) } ?? rest.endIndex
        let host = rest[rest.startIndex..<end]
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else { return nil }
        // A plain word is a setting, not an address, unless the variable's name says it is a host.
        guard hasScheme || value.utf8.contains(UInt8(ascii: ":")) || host.utf8.contains(UInt8(ascii: "."))
            || ["_HOST", "_HOSTNAME", "_ADDR", "_ADDRESS", "_SERVER", "_SERVICE"].contains(where: variable.uppercased().hasSuffix)
        else { return nil }
        return (String(host), host.startIndex..<host.endIndex)
    }

    /// A Service name with a typo, or written with or without its `-service`/`-svc` suffix
    /// (`database` for `database-service`): close enough to fix the address. A name merely
    /// inside another (`cart` in `cart-cache`) is still a candidate to report, never to fix.
    static func resembles(_ a: String, _ b: String) -> Bool {
        IntendedWorkload.resembles(IntendedWorkload.normalized(a), IntendedWorkload.normalized(b))
    }

    static func isServiceName(_ label: String) -> Bool {
        guard let first = label.first, first.isLetter, label != "localhost", label.count <= 63 else { return false }
        return label.allSatisfy { ($0.isLowercase && $0.isLetter) || $0.isNumber || $0 == "-" }
    }
}

/// A workload that calls a Service of its namespace: one of its containers' environment values
/// is an address naming it (the same reading as `DanglingServiceReference`).
public struct ServiceCaller: Sendable, Equatable {
    public var workload: ObjectRef
    public var container: String
    public var variable: String
    public var service: String

    static func calls(of workload: Workload, services: Set<String>) -> [ServiceCaller] {
        workload.containers.flatMap { container in
            container.env.compactMap { variable -> ServiceCaller? in
                guard let value = variable.value,
                      let (host, _) = DanglingServiceReference.host(in: value, variable: variable.name) else { return nil }
                let labels = host.split(separator: ".").map(String.init)
                guard let name = labels.first, services.contains(name),
                      labels.count == 1 || labels[1] == workload.namespace else { return nil }
                return ServiceCaller(workload: workload.ref, container: container.name, variable: variable.name,
                                     service: name)
            }
        }
    }
}
