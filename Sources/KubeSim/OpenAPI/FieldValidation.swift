import MedicKube

/// Server-side field validation (`fieldValidation=Strict|Warn|Ignore`, Warn when absent): the
/// fields of a request body that the kind's schema does not declare, refused with the
/// apiserver's strict-decoding texts or returned as warnings.
struct FieldValidation: Sendable {
    enum Mode: String, Sendable {
        case strict = "Strict", warn = "Warn", ignore = "Ignore"
    }

    var mode: Mode

    init(_ value: String?) throws(APIError) {
        guard let value, !value.isEmpty else { mode = .warn; return }
        guard let mode = Mode(rawValue: value) else {
            throw APIError.badRequest("fieldValidation must be one of Ignore, Warn, Strict; got \"\(value)\"")
        }
        self.mode = mode
    }

    /// Checks a create or update body. Returns the warnings to send (`unknown field "spec.foo"`).
    func check(body: JSON, type: ResourceType) throws(APIError) -> [String] {
        let unknown = Self.unknownFields(body, type: type)
        guard !unknown.isEmpty, mode != .ignore else { return [] }
        let texts = unknown.map { "unknown field \"\($0)\"" }
        if mode == .warn { return texts }
        throw APIError.badRequest("\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): "
            + "strict decoding error: " + texts.joined(separator: ", "))
    }

    /// Checks a strategic-merge or merge patch: its directives (`$patch`, `$setElementOrder/…`)
    /// are not fields. A strict refusal is the 422 the apiserver's patcher gives, which names
    /// the whole patch as Go prints a map.
    func check(patch: JSON, type: ResourceType) throws(APIError) -> [String] {
        let unknown = Self.unknownFields(patch, type: type)
        guard !unknown.isEmpty, mode != .ignore else { return [] }
        let texts = unknown.map { "unknown field \"\($0)\"" }
        if mode == .warn { return texts }
        let value = GoValueText.quoted(patch)
        let detail = "Invalid value: \(value): strict decoding error: " + texts.joined(separator: ", ")
        throw APIError(code: 422, reason: "Invalid", message: " \"\" is invalid: patch: \(detail)",
                       causes: [.init(reason: "FieldValueInvalid", message: detail, field: "patch")])
    }

    /// An apply patch always fails on an undeclared field, whatever the mode: structured
    /// merge cannot type it (the apiserver answers 500 with this text).
    static func checkApply(_ patch: JSON, type: ResourceType, namespace: String, name: String) throws(APIError) {
        guard let first = unknownFields(patch, type: type).first else { return }
        throw APIError(code: 500, reason: "", message: "failed to create typed patch object (\(namespace)/\(name); "
            + "\(type.apiVersion == type.version ? "/" + type.version : type.apiVersion), Kind=\(type.kind)): "
            + ".\(first): field not declared in schema")
    }

    /// Dotted paths (`spec.template.spec.containers[0].foo`) of the fields the schema lacks,
    /// sorted; a custom resource's schema is its CRD's.
    static func unknownFields(_ object: JSON, type: ResourceType) -> [String] {
        if type.custom != nil { return CustomResourceSchema.unknownFields(object, type: type) }
        guard let root = SchemaRegistry.root(of: type) else { return [] }
        return unknownFields(object, definition: root.name)
    }

    /// The same, against one named definition (`ObjectMeta`).
    static func unknownFields(_ object: JSON, definition: String) -> [String] {
        var found: [String] = []
        walk(object, .ref(definition), path: "", into: &found)
        return found.sorted()
    }

    private static func walk(_ value: JSON, _ type: FieldType, path: String, into found: inout [String]) {
        switch (type, value) {
        case (.ref(let name), .object(let fields)):
            guard let definition = SchemaRegistry.all[name] else { return }
            for (key, child) in fields where !key.hasPrefix("$") {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard let field = definition.field(key) else {
                    found.append(childPath)
                    continue
                }
                walk(child, field.type, path: childPath, into: &found)
            }
        case (.array(let element, _), .array(let items)):
            for (index, item) in items.enumerated() { walk(item, element, path: "\(path)[\(index)]", into: &found) }
        case (.map(let element), .object(let fields)):
            for (key, child) in fields { walk(child, element, path: "\(path)[\(key)]", into: &found) }
        default:
            break
        }
    }
}

/// Go's `%v` of a decoded JSON value (`map[spec:map[replicas:2]]`), and `%q` of that text:
/// how apiserver messages quote a whole patch.
enum GoValueText {
    static func quoted(_ value: JSON) -> String {
        var text = "\""
        for character in plain(value) {
            switch character {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            default: text.append(character)
            }
        }
        return text + "\""
    }

    static func plain(_ value: JSON) -> String {
        switch value {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e21 ? String(Int64(number)) : String(number)
        case .string(let text): text
        case .array(let items): "[" + items.map(plain).joined(separator: " ") + "]"
        case .object(let fields): "map[" + fields.keys.sorted().map { "\($0):\(plain(fields[$0]!))" }.joined(separator: " ") + "]"
        }
    }
}
