import MedicKube

/// The OpenAPI documents kubectl fetches: the v3 index (`/openapi/v3`), one v3 document per
/// group-version (`/openapi/v3/apis/apps/v1`) and the whole v2 document (`/openapi/v2`, JSON
/// only). Each PATCH and POST operation declares the `fieldValidation` parameter, which is
/// what makes kubectl leave validation to the server (`fieldValidation=Strict`). The built-in
/// documents are made once; a custom resource's group-version is made from its CRD's schema
/// (`CustomResourceSchema`) whenever it is asked for.
enum OpenAPIDocument {
    static let info: JSON = ["title": "Kubernetes", "version": "v1.32.0"]

    /// The scalar definitions fields refer to by name, as the apiserver's documents do.
    private static let scalars: [String: JSON] = [
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": [
            "description": "IntOrString is a type that can hold an int32 or a string.", "type": "string",
            "format": "int-or-string",
        ],
        "io.k8s.apimachinery.pkg.api.resource.Quantity": [
            "description": "Quantity is a fixed-point representation of a number (`500m`, `128Mi`).", "type": "string",
        ],
        MetaV1Schemas.prefix + "Time": [
            "description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON. RFC 3339.",
            "type": "string", "format": "date-time",
        ],
    ]

    /// `api/v1`, `apis/apps/v1`, … with the hash that names each document's version.
    static func index(_ catalog: ResourceCatalog) -> JSON {
        var paths = builtInIndex
        for path in groupVersions(catalog.all.filter { $0.custom != nil }) {
            paths[path] = indexEntry(path, document(v3: path, catalog: catalog)!)
        }
        return ["paths": .object(paths)]
    }

    private static let builtInIndex: [String: JSON] = Dictionary(uniqueKeysWithValues: groupVersions(ResourceType.all).map {
        ($0, indexEntry($0, v3Documents[$0]!))
    })

    private static func indexEntry(_ path: String, _ document: JSON) -> JSON {
        ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash(of: document))")]
    }

    private static func groupVersions(_ types: [ResourceType]) -> [String] {
        var seen: [String] = []
        for type in types where !seen.contains(String(type.groupVersionPath.dropFirst())) {
            seen.append(String(type.groupVersionPath.dropFirst()))
        }
        return seen
    }

    private static let v3Documents: [String: JSON] = Dictionary(uniqueKeysWithValues: groupVersions(ResourceType.all).map { path in
        let types = ResourceType.all.filter { String($0.groupVersionPath.dropFirst()) == path }
        let definitions = SchemaRegistry.closure(of: types.compactMap { SchemaRegistry.root(of: $0)?.name })
        var schemas = scalars
        for definition in definitions { schemas[definition.name] = render(definition, dialect: .v3) }
        let document: JSON = [
            "openapi": "3.0.0", "info": info,
            "paths": .object(paths(types, dialect: .v3)),
            "components": ["schemas": .object(schemas)],
        ]
        return (path, document)
    })

    /// The v3 document of one group-version path (`apis/apps/v1`); nil if KubeSim serves none.
    static func document(v3 path: String, catalog: ResourceCatalog) -> JSON? {
        if let document = v3Documents[path] { return document }
        let types = catalog.all.filter { $0.custom != nil && String($0.groupVersionPath.dropFirst()) == path }
        guard !types.isEmpty else { return nil }
        var schemas = scalars
        for definition in SchemaRegistry.closure(of: [MetaV1Schemas.objectMeta]) {
            schemas[definition.name] = render(definition, dialect: .v3)
        }
        for type in types { schemas[CustomResourceSchema.definitionName(type)] = CustomResourceSchema.rendered(type, dialect: .v3) }
        return ["openapi": "3.0.0", "info": info, "paths": .object(paths(types, dialect: .v3)),
                "components": ["schemas": .object(schemas)]]
    }

    static func v2(_ catalog: ResourceCatalog) -> JSON {
        var document = builtInV2
        let custom = catalog.all.filter { $0.custom != nil }
        for (path, operations) in paths(custom, dialect: .v2) { document[path: ["paths", path]] = operations }
        for type in custom {
            document[path: ["definitions", CustomResourceSchema.definitionName(type)]] = CustomResourceSchema.rendered(type, dialect: .v2)
        }
        return document
    }

    private static let builtInV2: JSON = {
        var definitions = scalars
        for definition in SchemaRegistry.all.values { definitions[definition.name] = render(definition, dialect: .v2) }
        return ["swagger": "2.0", "info": info, "paths": .object(paths(ResourceType.all, dialect: .v2)),
                "definitions": .object(definitions)]
    }()

    // MARK: Rendering

    enum Dialect {
        case v2, v3
        func reference(_ name: String) -> String { self == .v2 ? "#/definitions/\(name)" : "#/components/schemas/\(name)" }
    }

    private static func render(_ definition: SchemaDefinition, dialect: Dialect) -> JSON {
        var schema: [String: JSON] = [
            "description": .string(definition.description), "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: definition.fields.map { field in
                var property = render(field.type, dialect: dialect)
                property["description"] = .string(field.description)
                return (field.name, property)
            })),
        ]
        if !definition.required.isEmpty { schema["required"] = .array(definition.required.map(JSON.string)) }
        if let kind = definition.kind {
            schema["x-kubernetes-group-version-kind"] = [
                ["group": .string(kind.group), "kind": .string(kind.kind), "version": .string(kind.version)],
            ]
        }
        return .object(schema)
    }

    private static func render(_ type: FieldType, dialect: Dialect) -> JSON {
        switch type {
        case .string: return ["type": "string"]
        case .int32: return ["type": "integer", "format": "int32"]
        case .int64: return ["type": "integer", "format": "int64"]
        case .number: return ["type": "number", "format": "double"]
        case .boolean: return ["type": "boolean"]
        case .intOrString: return reference("io.k8s.apimachinery.pkg.util.intstr.IntOrString", dialect: dialect)
        case .quantity: return reference("io.k8s.apimachinery.pkg.api.resource.Quantity", dialect: dialect)
        case .time: return reference(MetaV1Schemas.prefix + "Time", dialect: dialect)
        case .ref(let name): return reference(name, dialect: dialect)
        case .open: return ["type": "object"]
        case .map(let element):
            return ["type": "object", "additionalProperties": render(element, dialect: dialect)]
        case .array(let element, let keys):
            var schema: JSON = ["type": "array", "items": render(element, dialect: dialect)]
            switch keys {
            case nil: schema["x-kubernetes-list-type"] = "atomic"
            case let keys? where keys.isEmpty: schema["x-kubernetes-list-type"] = "set"
            case let keys?:
                schema["x-kubernetes-list-type"] = "map"
                schema["x-kubernetes-list-map-keys"] = .array(keys.map(JSON.string))
            }
            return schema
        }
    }

    /// v3 wraps a reference in `allOf` so that a description may stand beside it.
    private static func reference(_ name: String, dialect: Dialect) -> JSON {
        let target: JSON = ["$ref": .string(dialect.reference(name))]
        return dialect == .v2 ? target : ["allOf": [target]]
    }

    private static func paths(_ types: [ResourceType], dialect: Dialect) -> [String: JSON] {
        var paths: [String: JSON] = [:]
        for type in types {
            guard let root = type.custom != nil ? CustomResourceSchema.definitionName(type) : SchemaRegistry.root(of: type)?.name
            else { continue }
            let collection = type.groupVersionPath + (type.namespaced ? "/namespaces/{namespace}/" : "/") + type.plural
            let name = operationName(type)
            paths[collection] = ["post": operation("create\(name)", action: "post", type: type, root: root,
                                                   parameters: ["dryRun", "fieldManager", "fieldValidation"], dialect: dialect)]
            paths[collection + "/{name}"] = [
                "get": operation("read\(name)", action: "get", type: type, root: root, parameters: [], dialect: dialect),
                "patch": operation("patch\(name)", action: "patch", type: type, root: root,
                                   parameters: ["dryRun", "fieldManager", "fieldValidation", "force"], dialect: dialect),
            ]
        }
        return paths
    }

    /// `AppsV1NamespacedDeployment`, `CoreV1Node`: the apiserver's operationId stem.
    private static func operationName(_ type: ResourceType) -> String {
        let group = type.group.split(separator: ".").first.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? "Core"
        return "\(group)\(type.version.capitalized)\(type.namespaced ? "Namespaced" : "")\(type.kind)"
    }

    private static func operation(_ id: String, action: String, type: ResourceType, root: String,
                                  parameters: [String], dialect: Dialect) -> JSON {
        let response: JSON = dialect == .v2
            ? ["description": "OK", "schema": ["$ref": .string(dialect.reference(root))]]
            : ["description": "OK", "content": ["application/json": ["schema": ["$ref": .string(dialect.reference(root))]]]]
        return [
            "operationId": .string(id), "x-kubernetes-action": .string(action),
            "x-kubernetes-group-version-kind": ["group": .string(type.group), "version": .string(type.version),
                                                "kind": .string(type.kind)],
            "parameters": .array(parameters.map { name in
                let type = name == "force" ? "boolean" : "string"
                return dialect == .v2
                    ? ["name": .string(name), "in": "query", "type": .string(type), "uniqueItems": true]
                    : ["name": .string(name), "in": "query", "schema": ["type": .string(type), "uniqueItems": true]]
            }),
            "responses": ["200": response],
        ]
    }

    /// An uppercase hex FNV-1a 64 of the document: it changes whenever the document does.
    private static func hash(of document: JSON) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in document.serialized() { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash, radix: 16, uppercase: true)
    }
}
