import MedicKube
import Foundation

/// Discovery documents built from the catalog (built-ins, then established CRDs' resources):
/// aggregated (`APIGroupDiscoveryList`, v2 or v2beta1 as the Accept header asks) and the
/// legacy per-group-version lists.
enum Discovery {
    /// The aggregated-discovery version the client accepts, if any (`v2` preferred).
    static func aggregatedVersion(accept: String) -> String? {
        let ranges = accept.split(separator: ",").map { $0.replacingOccurrences(of: " ", with: "") }
        for version in ["v2", "v2beta1"] {
            if ranges.contains(where: { range in
                range.contains("as=APIGroupDiscoveryList") && range.contains("g=apidiscovery.k8s.io")
                    && range.split(separator: ";").contains("v=\(version)")
            }) { return version }
        }
        return nil
    }

    static func contentType(version: String) -> String {
        "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
    }

    static func aggregated(core: Bool, version: String, catalog: ResourceCatalog) -> JSON {
        let groups = catalog.groups.filter { ($0.isEmpty) == core }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(version)"), "metadata": [:],
            "items": .array(groups.map { group in
                let types = catalog.all.filter { $0.group == group }
                return [
                    "metadata": group.isEmpty ? ["creationTimestamp": nil] : ["name": .string(group), "creationTimestamp": nil],
                    "versions": .array(versions(of: types).map { version in
                        ["version": .string(version), "freshness": "Current",
                         "resources": .array(types.filter { $0.version == version }.map(aggregatedResource))]
                    }),
                ]
            }),
        ]
    }

    private static func aggregatedResource(_ type: ResourceType) -> JSON {
        var resource: JSON = [
            "resource": .string(type.plural), "singularResource": .string(type.singular),
            "responseKind": ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)],
            "scope": type.namespaced ? "Namespaced" : "Cluster", "verbs": .array(type.verbs.map(JSON.string)),
            "subresources": .array(type.subresources.map { sub in
                let kind: JSON = switch sub {
                case "scale": ["group": "autoscaling", "version": "v1", "kind": "Scale"]
                default: ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
                }
                return ["subresource": .string(sub), "responseKind": kind,
                        "verbs": sub == "log" ? ["get"] : ["get", "patch", "update"]]
            }),
        ]
        if !type.shortNames.isEmpty { resource["shortNames"] = .array(type.shortNames.map(JSON.string)) }
        if !type.categories.isEmpty { resource["categories"] = .array(type.categories.map(JSON.string)) }
        return resource
    }

    static let coreVersions: JSON = [
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"]],
    ]

    static func groupList(catalog: ResourceCatalog) -> JSON {
        [
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(catalog.groups.filter { !$0.isEmpty }.map { group in
                let versions = versions(of: catalog.all.filter { $0.group == group }).map { version -> JSON in
                    ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
                }
                return ["name": .string(group), "versions": .array(versions), "preferredVersion": versions[0]]
            }),
        ]
    }

    /// A group's versions, preferred first: GA before beta before alpha, higher numbers first
    /// (the apiserver's version priority; two CRDs of one group may store different versions).
    static func versions(of types: [ResourceType]) -> [String] {
        func rank(_ version: String) -> (Int, Int, Int) {
            let scanner = Scanner(string: version)
            _ = scanner.scanString("v")
            let major = scanner.scanInt() ?? 0
            let stage = scanner.scanCharacters(from: .letters) ?? ""
            let minor = scanner.scanInt() ?? 0
            return (stage.isEmpty ? 2 : stage == "beta" ? 1 : 0, major, minor)
        }
        var seen: [String] = []
        for type in types where !seen.contains(type.version) { seen.append(type.version) }
        return seen.sorted { rank($0) > rank($1) }
    }

    /// `APIResourceList` for `/api/v1` or `/apis/<group>/<version>`; nil for unknown paths.
    static func resourceList(groupVersionPath: String, catalog: ResourceCatalog) -> JSON? {
        let types = catalog.all.filter { $0.groupVersionPath == groupVersionPath }
        guard let first = types.first else { return nil }
        var resources: [JSON] = []
        for type in types {
            var resource: JSON = ["name": .string(type.plural), "singularName": .string(type.singular),
                                  "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                                  "verbs": .array(type.verbs.map(JSON.string))]
            if !type.shortNames.isEmpty { resource["shortNames"] = .array(type.shortNames.map(JSON.string)) }
            if !type.categories.isEmpty { resource["categories"] = .array(type.categories.map(JSON.string)) }
            resources.append(resource)
            for sub in type.subresources {
                var entry: JSON = ["name": .string("\(type.plural)/\(sub)"), "singularName": "",
                                   "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                                   "verbs": sub == "log" ? ["get"] : ["get", "patch", "update"]]
                if sub == "scale" {
                    entry["group"] = "autoscaling"
                    entry["version"] = "v1"
                    entry["kind"] = "Scale"
                }
                resources.append(entry)
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(first.apiVersion),
                "resources": .array(resources)]
    }

    static let version: JSON = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-kubesim", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.3", "compiler": "gc",
        "platform": "linux/amd64",
    ]
}
