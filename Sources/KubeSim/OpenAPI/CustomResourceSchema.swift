import MedicKube

/// A custom resource's structural schema (`schema.openAPIV3Schema` of its CRD's storage
/// version) at work: the fields it does not declare (for strict field validation, and pruned
/// from what is stored, as the apiserver prunes), and its OpenAPI definition. An object
/// marked `x-kubernetes-preserve-unknown-fields: true` keeps whatever it is given; a
/// declared property below it is still checked. `apiVersion`, `kind` and `metadata` are
/// always declared, and `metadata` is checked against ObjectMeta.
enum CustomResourceSchema {
    /// `io.fluxcd.toolkit.kustomize.v1.Kustomization`: the reversed group, as the apiserver
    /// names a CRD's definition.
    static func definitionName(_ type: ResourceType) -> String {
        (type.group.split(separator: ".").reversed().map(String.init) + [type.version, type.kind]).joined(separator: ".")
    }

    /// Dotted paths (`spec.foo`, `spec.items[0].bar`) of the undeclared fields, sorted.
    static func unknownFields(_ object: JSON, type: ResourceType) -> [String] {
        var found: [String] = []
        walk(object, root(type), path: "") { found.append($0) }
        return found.sorted()
    }

    /// The object without its undeclared fields.
    static func pruned(_ object: JSON, type: ResourceType) -> JSON {
        var paths: [[String]] = []
        prunable(object, root(type), path: [], into: &paths)
        var result = object
        for path in paths { result[path: path] = nil }
        return result
    }

    /// The definition published in OpenAPI: the CRD's schema, with the type fields, ObjectMeta
    /// and the group-version-kind the apiserver adds.
    static func rendered(_ type: ResourceType, dialect: OpenAPIDocument.Dialect) -> JSON {
        var schema = root(type)
        let objectMeta: JSON = ["$ref": .string(dialect.reference(MetaV1Schemas.objectMeta))]
        schema[path: ["properties", "apiVersion"]] = ["type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."]
        schema[path: ["properties", "kind"]] = ["type": "string", "description": "Kind is a string value representing the REST resource this object represents."]
        schema[path: ["properties", "metadata"]] = dialect == .v2 ? objectMeta : ["allOf": [objectMeta], "description": "Standard object's metadata."]
        schema["x-kubernetes-group-version-kind"] = [
            ["group": .string(type.group), "kind": .string(type.kind), "version": .string(type.version)],
        ]
        return schema
    }

    /// The CRD's schema, or an object that keeps anything when the version has none.
    private static func root(_ type: ResourceType) -> JSON {
        var schema = type.custom?.schema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        if schema.object == nil { schema = [:] }
        return schema
    }

    /// Calls `report` with the path of each undeclared field under `value`.
    private static func walk(_ value: JSON, _ schema: JSON, path: String, isRoot: Bool = true,
                             report: (String) -> Void) {
        switch value {
        case .object(let fields):
            for (key, child) in fields {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if (isRoot || schema["x-kubernetes-embedded-resource"]?.bool == true) && ["apiVersion", "kind", "metadata"].contains(key) {
                    if key == "metadata" {
                        for field in FieldValidation.unknownFields(child, definition: MetaV1Schemas.objectMeta) {
                            report("\(childPath).\(field)")
                        }
                    }
                    continue
                }
                guard let declared = declaration(of: key, in: schema) else {
                    report(childPath)
                    continue
                }
                walk(child, declared, path: childPath, isRoot: false, report: report)
            }
        case .array(let items):
            guard let element = schema["items"] else { return }
            for (index, item) in items.enumerated() {
                walk(item, element, path: "\(path)[\(index)]", isRoot: false, report: report)
            }
        default:
            break
        }
    }

    /// The schema of field `key` of an object described by `schema`: a declared property, the
    /// additionalProperties schema, one that keeps anything below it (an undeclared field of
    /// an object that preserves unknown fields, or `additionalProperties: true`), nil when
    /// `key` is not declared.
    private static func declaration(of key: String, in schema: JSON) -> JSON? {
        if let property = schema["properties"]?[key] { return property }
        if let additional = schema["additionalProperties"], additional.bool != false {
            return additional.object != nil ? additional : anything
        }
        if schema["x-kubernetes-preserve-unknown-fields"]?.bool == true { return anything }
        return nil
    }

    private static let anything: JSON = ["x-kubernetes-preserve-unknown-fields": true]

    private static func prunable(_ value: JSON, _ schema: JSON, path: [String], into paths: inout [[String]]) {
        guard let fields = value.object else { return }
        for (key, child) in fields {
            if path.isEmpty, ["apiVersion", "kind", "metadata"].contains(key) { continue }
            guard let declared = declaration(of: key, in: schema) else {
                paths.append(path + [key])
                continue
            }
            prunable(child, declared, path: path + [key], into: &paths)
        }
    }
}
