import MedicKube

/// The resources served right now: the built-in table, then the custom resources of the
/// established CustomResourceDefinitions in the order they were established. Discovery,
/// OpenAPI, routing and loading all read it, so a CRD's resource appears (and disappears)
/// everywhere at once.
public struct ResourceCatalog: Sendable {
    /// Custom resources (one per served version, preferred first) by the name of the CRD
    /// that defines them.
    private(set) var custom: [(crd: String, types: [ResourceType])] = []

    public var all: [ResourceType] { ResourceType.all + custom.flatMap(\.types) }

    /// Every resource once, as stored: what a namespace's deletion or the garbage collector walks.
    var stored: [ResourceType] {
        var seen: [ResourceType] = []
        for type in all.map(\.stored) where !seen.contains(type) { seen.append(type) }
        return seen
    }

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
            catalog.set(CustomResourceDefinitions.resourceTypes(of: crd), for: ClusterState.name(crd))
        }
        return catalog
    }

    /// CRDs first, everything else after in the given order.
    static func definitionsFirst(_ objects: [JSON]) -> [JSON] {
        objects.filter { ResourceType.customResourceDefinition.matches($0) }
            + objects.filter { !ResourceType.customResourceDefinition.matches($0) }
    }

    /// Serves these versions of the resource of the CRD named `crd` (none: stops serving it).
    mutating func set(_ types: [ResourceType], for crd: String) {
        if let index = custom.firstIndex(where: { $0.crd == crd }) {
            if types.isEmpty { custom.remove(at: index) } else { custom[index].types = types }
        } else if !types.isEmpty {
            custom.append((crd, types))
        }
    }
}
