import MedicKube
import Foundation

/// Discovery documents built from `ResourceType.all`: aggregated (`APIGroupDiscoveryList`,
/// v2 or v2beta1 as the Accept header asks) and the legacy per-group-version lists.
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

    static func aggregated(core: Bool, version: String) -> JSON {
        let groups = ResourceType.groups.filter { ($0.isEmpty) == core }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(version)"), "metadata": [:],
            "items": .array(groups.map { group in
                let types = ResourceType.all.filter { $0.group == group }
                return [
                    "metadata": group.isEmpty ? ["creationTimestamp": nil] : ["name": .string(group), "creationTimestamp": nil],
                    "versions": [["version": .string(types[0].version), "freshness": "Current",
                                  "resources": .array(types.map(aggregatedResource))]],
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

    static var groupList: JSON {
        [
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(ResourceType.groups.filter { !$0.isEmpty }.map { group in
                let version = ResourceType.all.first { $0.group == group }!.version
                let groupVersion: JSON = ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
                return ["name": .string(group), "versions": [groupVersion], "preferredVersion": groupVersion]
            }),
        ]
    }

    /// `APIResourceList` for `/api/v1` or `/apis/<group>/<version>`; nil for unknown paths.
    static func resourceList(groupVersionPath: String) -> JSON? {
        let types = ResourceType.all.filter { $0.groupVersionPath == groupVersionPath }
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
