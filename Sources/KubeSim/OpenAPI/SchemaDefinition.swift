import MedicKube

/// The type of one field in KubeSim's OpenAPI description of the kinds it serves. Written by
/// hand from the Kubernetes API reference, compact on purpose: enough for kubectl's `explain`
/// and field-validation discovery, and for KubeSim's own strict decoding of unknown fields.
indirect enum FieldType: Sendable, Equatable {
    case string
    case int32
    case int64
    case number
    case boolean
    /// `IntOrString` (`targetPort`, `maxSurge`).
    case intOrString
    /// `resource.Quantity` (`500m`, `128Mi`).
    case quantity
    /// `metav1.Time`, RFC 3339.
    case time
    /// A named definition (`io.k8s.api.core.v1.PodSpec`).
    case ref(String)
    /// A list; `keys` are the fields that identify an element (`x-kubernetes-list-map-keys`),
    /// nil for an atomic list, `[]` for a set of scalars.
    case array(FieldType, keys: [String]? = nil)
    case map(FieldType)
    /// An object KubeSim does not describe field by field: anything is accepted and kept.
    case open
}

struct Field: Sendable {
    var name: String
    var type: FieldType
    var description: String
}

/// One named object schema. `kind` marks the top-level schema of a served kind, as the
/// apiserver's `x-kubernetes-group-version-kind` does.
struct SchemaDefinition: Sendable {
    var name: String
    var description: String
    var fields: [Field]
    var required: [String] = []
    var kind: ResourceType?

    init(_ name: String, _ description: String, required: [String] = [], kind: ResourceType? = nil, _ fields: [Field]) {
        self.name = name
        self.description = description
        self.fields = fields
        self.required = required
        self.kind = kind
    }

    func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}

/// Shorthand for a field in the schema tables.
func f(_ name: String, _ type: FieldType, _ description: String) -> Field {
    Field(name: name, type: type, description: description)
}

extension FieldType {
    static let strings: FieldType = .map(.string)
    static func list(_ name: String, keys: [String]? = nil) -> FieldType { .array(.ref(name), keys: keys) }
}

/// Every definition KubeSim serves, by name.
enum SchemaRegistry {
    static let all: [String: SchemaDefinition] = {
        var table: [String: SchemaDefinition] = [:]
        let groups = [MetaV1Schemas.definitions, CoreV1Schemas.definitions, PodV1Schemas.definitions,
                      AppsV1Schemas.definitions, OtherGroupSchemas.definitions]
        for definition in groups.joined() { table[definition.name] = definition }
        return table
    }()

    /// The top-level schema of a kind.
    static func root(of type: ResourceType) -> SchemaDefinition? {
        all.values.first { $0.kind == type }
    }

    /// The definitions `names` reach, themselves included, sorted by name.
    static func closure(of names: [String]) -> [SchemaDefinition] {
        var seen: Set<String> = []
        var pending = names
        while let name = pending.popLast() {
            guard !seen.contains(name), let definition = all[name] else { continue }
            seen.insert(name)
            pending += definition.fields.compactMap(\.type.referenced)
        }
        return seen.sorted().compactMap { all[$0] }
    }
}

extension FieldType {
    /// The definition this type names, through lists and maps.
    var referenced: String? {
        switch self {
        case .ref(let name): name
        case .array(let element, _), .map(let element): element.referenced
        default: nil
        }
    }
}
