import MedicKube

/// The resources served right now: the built-in table, then the custom resources of the
/// established CustomResourceDefinitions in the order they were established. Discovery,
/// OpenAPI, routing and loading all read it, so a CRD's resource appears (and disappears)
/// everywhere at once.
public struct ResourceCatalog: Sendable {
    /// Custom resources by the name of the CRD that defines them.
    private(set) var custom: [(crd: String, type: ResourceType)] = []

    public var all: [ResourceType] { ResourceType.all + custom.map(\.type) }

    /// Groups in the order discovery lists them; the core group ("") comes first.
    var groups: [String] {
        var seen: [String] = []
        for type in all where !seen.contains(type.group) { seen.append(type.group) }
        return seen
    }

    /// Finds a type by kind (`Deployment`), plural (`deployments`), singular or short name.
    public func named(_ name: String) -> ResourceType? {
        let lowered = name.lowercased()
        return all.first { $0.kind == name }
            ?? all.first { $0.plural == lowered || $0.singular == lowered || $0.shortNames.contains(lowered) }
    }

    /// The type an object's kind and apiVersion name (by kind alone when apiVersion is absent
    /// or names no served version).
    func forObject(_ object: JSON) -> ResourceType? {
        guard let kind = object["kind"]?.string else { return nil }
        let apiVersion = object["apiVersion"]?.string
        return all.first { $0.kind == kind && (apiVersion == nil || $0.apiVersion == apiVersion) }
            ?? all.first { $0.kind == kind }
    }

    func at(groupVersionPath: String, plural: String) -> ResourceType? {
        all.first { $0.groupVersionPath == groupVersionPath && $0.plural == plural }
    }

    /// This catalog with the resources of the valid CRDs among `objects` as well: what a set
    /// of manifests may contain, since its CRDs are established before its other objects.
    func adding(definitionsIn objects: [JSON]) -> ResourceCatalog {
        var catalog = self
        for object in objects where ResourceType.customResourceDefinition.matches(object) {
            var crd = object
            CustomResourceDefinitions.applyDefaults(&crd)
            if let type = CustomResourceDefinitions.resourceType(of: crd) { catalog.set(type, for: ClusterState.name(crd)) }
        }
        return catalog
    }

    /// CRDs first, everything else after in the given order.
    static func definitionsFirst(_ objects: [JSON]) -> [JSON] {
        objects.filter { ResourceType.customResourceDefinition.matches($0) }
            + objects.filter { !ResourceType.customResourceDefinition.matches($0) }
    }

    /// Serves (or, with nil, stops serving) the resource of the CRD named `crd`.
    mutating func set(_ type: ResourceType?, for crd: String) {
        if let index = custom.firstIndex(where: { $0.crd == crd }) {
            if let type { custom[index].type = type } else { custom.remove(at: index) }
        } else if let type {
            custom.append((crd, type))
        }
    }
}
