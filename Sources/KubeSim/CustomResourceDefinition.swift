import Foundation
import MedicKube

/// What one served version of a CustomResourceDefinition says about the resource it defines:
/// the schema (for field validation, OpenAPI and field ownership), the Table columns, and
/// whether `status` is a subresource.
public struct CustomResource: Sendable, Hashable {
    /// One `additionalPrinterColumns` entry.
    public struct PrinterColumn: Sendable, Hashable {
        public var name: String
        /// `string`, `integer`, `number`, `boolean` or `date`.
        public var type: String
        public var format: String
        public var description: String
        public var priority: Int
        public var jsonPath: String
    }

    /// `metadata.name` of the defining CRD (`kustomizations.kustomize.toolkit.fluxcd.io`).
    public var crd: String
    /// The version objects are stored in, whichever version they are written and read in.
    public var storageVersion: String
    /// `schema.openAPIV3Schema`, nil when the version has none.
    public var schema: JSON?
    public var printerColumns: [PrinterColumn]
    public var statusSubresource: Bool
}

extension ResourceType {
    /// The type objects of this resource are stored under: a custom resource's storage
    /// version, so that every served version reads and writes the same objects.
    var stored: ResourceType {
        guard let custom, custom.storageVersion != version else { return self }
        var type = self
        type.version = custom.storageVersion
        return type
    }

    /// A stored object as this version shows it: conversion strategy `None` changes only
    /// `apiVersion`.
    func presented(_ object: JSON) -> JSON {
        guard custom != nil, object["apiVersion"]?.string != apiVersion else { return object }
        var shown = object
        shown["apiVersion"] = .string(apiVersion)
        return shown
    }

    /// Whether `object` is of this kind (and apiVersion, when it names one).
    func matches(_ object: JSON) -> Bool {
        object["kind"]?.string == kind && (object["apiVersion"]?.string).map { $0 == apiVersion } ?? true
    }

    public static let customResourceDefinition = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
        plural: "customresourcedefinitions", singular: "customresourcedefinition", namespaced: false,
        shortNames: ["crd", "crds"], categories: ["api-extensions"], subresources: ["status"])
}

/// The apiextensions-apiserver's part: validating a CRD as its strategy does, defaulting its
/// names, establishing it (status conditions, accepted names, stored versions) and deriving
/// the `ResourceType`s KubeSim serves for it, one per served version (conversion `None`).
enum CustomResourceDefinitions {
    /// The validation errors that matter for serving (name, group, scope, names, storage
    /// version), in the order the apiserver reports them.
    static func causes(_ crd: JSON) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let name = ClusterState.name(crd)
        let group = crd[path: ["spec", "group"]]?.string ?? ""
        let plural = crd[path: ["spec", "names", "plural"]]?.string ?? ""
        if !name.isEmpty, name != "\(plural).\(group)" {
            causes.append(.invalid("metadata.name", quoted(name), #"must be spec.names.plural+"."+spec.group"#))
        }
        if group.isEmpty {
            causes.append(.required("spec.group"))
        } else if !group.contains(".") {
            causes.append(.invalid("spec.group", quoted(group), "should be a domain with at least one dot"))
        }
        switch crd[path: ["spec", "scope"]]?.string ?? "" {
        case "": causes.append(.required("spec.scope"))
        case "Namespaced", "Cluster": break
        case let scope:
            causes.append(.init(reason: "FieldValueNotSupported",
                                message: "Unsupported value: \(quoted(scope)): supported values: \"Cluster\", \"Namespaced\"",
                                field: "spec.scope"))
        }
        let versions = crd[path: ["spec", "versions"]]?.array ?? []
        if versions.filter({ $0["storage"]?.bool == true }).count != 1 {
            // The apiserver prints the whole versions slice here (Go's %#v); KubeSim elides it.
            causes.append(.invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{...}",
                                   "must have exactly one version marked as storage version"))
        }
        if plural.isEmpty { causes.append(.required("spec.names.plural")) }
        if (crd[path: ["spec", "names", "kind"]]?.string ?? "").isEmpty { causes.append(.required("spec.names.kind")) }
        return causes
    }

    /// The defaults the apiserver fills in: `singular` (the lower-case kind), `listKind`,
    /// `conversion.strategy: None`.
    static func applyDefaults(_ crd: inout JSON) {
        let kind = crd[path: ["spec", "names", "kind"]]?.string ?? ""
        Defaults.fill(&crd, ["spec", "names", "singular"], .string(kind.lowercased()))
        Defaults.fill(&crd, ["spec", "names", "listKind"], .string(kind + "List"))
        Defaults.fill(&crd, ["spec", "conversion", "strategy"], "None")
    }

    /// The CRD with the status its controllers give it once its names are accepted:
    /// `NamesAccepted` and `Established` true, `acceptedNames`, `storedVersions`. A condition
    /// that was already true keeps its transition time.
    static func established(_ crd: JSON, now: Date) -> JSON {
        var object = crd
        let old = crd[path: ["status", "conditions"]]?.array ?? []
        func condition(_ type: String, _ reason: String, _ message: String) -> JSON {
            let since = old.first { $0["type"]?.string == type && $0["status"]?.string == "True" }?["lastTransitionTime"]
            return ["type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
                    "lastTransitionTime": since ?? .string(Timestamp.format(now))]
        }
        var stored = crd[path: ["status", "storedVersions"]]?.array ?? []
        if let version = storageVersion(crd)?["name"], !stored.contains(version) { stored.append(version) }
        object["status"] = [
            "acceptedNames": crd[path: ["spec", "names"]] ?? [:],
            "conditions": [
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
            "storedVersions": .array(stored),
        ]
        return object
    }

    /// The resource a valid CRD defines, once per served version, preferred version first.
    static func resourceTypes(of crd: JSON) -> [ResourceType] {
        guard causes(crd).isEmpty, let storage = storageVersion(crd)?["name"]?.string else { return [] }
        let served = (crd[path: ["spec", "versions"]]?.array ?? []).filter { $0["served"]?.bool == true }
        let types = served.map { resourceType(of: crd, version: $0, storage: storage) }
        let order = Discovery.versions(of: types)
        return types.sorted { order.firstIndex(of: $0.version)! < order.firstIndex(of: $1.version)! }
    }

    /// The type objects are stored under (served or not): what a deleted CRD takes with it.
    static func storedType(of crd: JSON) -> ResourceType? {
        guard causes(crd).isEmpty, let version = storageVersion(crd), let storage = version["name"]?.string else { return nil }
        return resourceType(of: crd, version: version, storage: storage)
    }

    private static func resourceType(of crd: JSON, version: JSON, storage: String) -> ResourceType {
        let name = version["name"]?.string ?? ""
        let names = crd[path: ["spec", "names"]] ?? [:]
        let kind = names["kind"]?.string ?? ""
        let strings: (String) -> [String] = { names[$0]?.array?.compactMap(\.string) ?? [] }
        let status = version[path: ["subresources", "status"]] != nil
        var columns = (version["additionalPrinterColumns"]?.array ?? []).map { column in
            CustomResource.PrinterColumn(
                name: column["name"]?.string ?? "", type: column["type"]?.string ?? "string",
                format: column["format"]?.string ?? "", description: column["description"]?.string ?? "",
                priority: Int(column["priority"]?.int ?? 0), jsonPath: column["jsonPath"]?.string ?? "")
        }
        if columns.isEmpty {
            columns = [.init(name: "Age", type: "date", format: "", description: "CreationTimestamp is a timestamp "
                + "representing the server time when this object was created.", priority: 0,
                jsonPath: ".metadata.creationTimestamp")]
        }
        return ResourceType(
            group: crd[path: ["spec", "group"]]?.string ?? "", version: name, kind: kind,
            plural: names["plural"]?.string ?? "", singular: names["singular"]?.string ?? kind.lowercased(),
            namespaced: crd[path: ["spec", "scope"]]?.string == "Namespaced", shortNames: strings("shortNames"),
            categories: strings("categories"), subresources: status ? ["status"] : [],
            custom: CustomResource(crd: ClusterState.name(crd), storageVersion: storage,
                                   schema: version[path: ["schema", "openAPIV3Schema"]],
                                   printerColumns: columns, statusSubresource: status))
    }

    private static func storageVersion(_ crd: JSON) -> JSON? {
        crd[path: ["spec", "versions"]]?.array?.first { $0["storage"]?.bool == true }
    }

    private static func quoted(_ text: String) -> String {
        String(decoding: JSON.string(text).serialized(), as: UTF8.self)
    }
}

extension ClusterState {
    /// Keeps the catalog in step with a committed CRD: serves its resource once it is
    /// established, stops serving it when it is deleted.
    mutating func catalogChanged(by crd: JSON, _ change: ObjectStore.Change) {
        catalog.set(change == .deleted ? [] : CustomResourceDefinitions.resourceTypes(of: crd), for: Self.name(crd))
    }

    /// A deleted CRD takes its custom objects with it, and its open watches (in every
    /// version) end.
    mutating func removeCustomObjects(of crd: JSON) {
        guard let type = CustomResourceDefinitions.storedType(of: crd) else { return }
        for object in list(type) {
            remove(type, namespace: Self.namespace(object), name: Self.name(object), dependents: .delete)
        }
        endWatches(of: type)
    }
}
