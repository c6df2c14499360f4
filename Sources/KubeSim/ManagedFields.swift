import MedicKube
import Foundation

/// Field ownership as server-side apply records it in `metadata.managedFields`: per manager
/// and operation, the set of fields it last set, in the `FieldsV1` format (`f:spec`,
/// `f:replicas`, `k:{"name":"app"}` for an element of a keyed list, `v:"x"` for a set member,
/// `.` for a node owned in itself). The field layout comes from KubeSim's OpenAPI schemas.
struct FieldSet: Sendable, Equatable {
    /// One step of a path, spelled as in FieldsV1.
    typealias Path = [String]

    /// Leaf fields and the values they hold.
    var leaves: [Path: JSON] = [:]
    /// Elements of keyed lists (owned as a whole as well as field by field).
    var members: Set<Path> = []

    var paths: Set<Path> { Set(leaves.keys).union(members) }
    var isEmpty: Bool { leaves.isEmpty && members.isEmpty }

    /// The fields an object (or an apply configuration) sets. Identity and server-kept
    /// metadata are not fields anyone owns; `status` only through the status subresource.
    init(of object: JSON, type: ResourceType, status: Bool = false) {
        let root = SchemaRegistry.root(of: type)
        guard root != nil || type.custom != nil else { return }
        var object = object
        object["apiVersion"] = nil
        object["kind"] = nil
        for field in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                      "managedFields", "deletionTimestamp", "selfLink", "generateName"] {
            object[path: ["metadata", field]] = nil
        }
        if object["metadata"]?.object?.isEmpty == true { object["metadata"] = nil }
        if status { object = ["status": object["status"] ?? [:]] } else { object["status"] = nil }
        if let root {
            collect(object, .ref(root.name), at: [])
        } else {
            collect(object, schema: type.custom?.schema, at: [])
        }
    }

    init() {}

    private mutating func collect(_ value: JSON, _ type: FieldType, at path: Path) {
        switch (type, value) {
        case (.ref(let name), .object(let fields)) where !fields.isEmpty:
            let definition = SchemaRegistry.all[name]
            for (key, child) in fields where !key.hasPrefix("$") {
                collect(child, definition?.field(key)?.type ?? .open, at: path + ["f:" + key])
            }
        case (.map(let element), .object(let fields)) where !fields.isEmpty:
            for (key, child) in fields { collect(child, element, at: path + ["f:" + key]) }
        case (.array(let element, let keys?), .array(let items)) where !items.isEmpty:
            for item in items {
                if keys.isEmpty {
                    leaves[path + ["v:" + String(decoding: item.serialized(), as: UTF8.self)]] = item
                    continue
                }
                let elementPath = path + [Self.keyToken(item, keys: keys)]
                members.insert(elementPath)
                collect(item, element, at: elementPath)
            }
        default:
            if !path.isEmpty { leaves[path] = value }
        }
    }

    /// A custom resource's fields, laid out by its CRD's schema as structured merge does:
    /// maps field by field (unless `x-kubernetes-map-type: atomic`), lists atomic unless
    /// `x-kubernetes-list-type` makes them a set or a map keyed by `x-kubernetes-list-map-keys`.
    private mutating func collect(_ value: JSON, schema: JSON?, at path: Path) {
        switch value {
        case .object(let fields) where !fields.isEmpty && schema?["x-kubernetes-map-type"]?.string != "atomic":
            for (key, child) in fields where !key.hasPrefix("$") {
                let additional = schema?["additionalProperties"]
                collect(child, schema: schema?["properties"]?[key] ?? (additional?.object != nil ? additional : nil),
                        at: path + ["f:" + key])
            }
        case .array(let items) where !items.isEmpty && schema?["x-kubernetes-list-type"]?.string == "set":
            for item in items { leaves[path + ["v:" + String(decoding: item.serialized(), as: UTF8.self)]] = item }
        case .array(let items) where !items.isEmpty && schema?["x-kubernetes-list-type"]?.string == "map":
            let keys = schema?["x-kubernetes-list-map-keys"]?.array?.compactMap(\.string) ?? []
            for item in items {
                let elementPath = path + [Self.keyToken(item, keys: keys)]
                members.insert(elementPath)
                collect(item, schema: schema?["items"], at: elementPath)
            }
        default:
            if !path.isEmpty { leaves[path] = value }
        }
    }

    /// `k:{"containerPort":8080,"protocol":"TCP"}`: the element's key fields, sorted. A
    /// missing `protocol` is TCP, as defaulting will make it.
    static func keyToken(_ item: JSON, keys: [String]) -> String {
        var key: [String: JSON] = [:]
        for name in keys { key[name] = item[name] ?? (name == "protocol" ? "TCP" : nil) }
        return "k:" + String(decoding: JSON.object(key).serialized(), as: UTF8.self)
    }

    // MARK: FieldsV1

    /// The nested FieldsV1 object.
    var fieldsV1: JSON {
        var tree: JSON = [:]
        for path in paths { tree[path: path] = tree[path: path] ?? [:] }
        for path in members where (tree[path: path]?.object?.keys.contains { $0 != "." }) == true {
            tree[path: path + ["."]] = [:]
        }
        return tree
    }

    /// The owned paths a FieldsV1 object names (values are not recorded there).
    static func paths(in fieldsV1: JSON, at path: Path = []) -> Set<Path> {
        guard let children = fieldsV1.object else { return [] }
        var found: Set<Path> = []
        if children.isEmpty || children["."] != nil, !path.isEmpty { found.insert(path) }
        for (key, child) in children where key != "." { found.formUnion(paths(in: child, at: path + [key])) }
        return found
    }

    /// `.spec.template.spec.containers[name="app"].image`, as apply conflicts name a field.
    static func text(_ path: Path) -> String {
        path.map { step in
            let body = String(step.dropFirst(2))
            switch step.prefix(2) {
            case "k:":
                guard let key = try? JSON(parsing: Data(body.utf8)), let fields = key.object else { return "[\(body)]" }
                return "[" + fields.keys.sorted().map { "\($0)=\(String(decoding: fields[$0]!.serialized(), as: UTF8.self))" }
                    .joined(separator: ",") + "]"
            case "v:": return "[=\(body)]"
            default: return "." + body
            }
        }.joined()
    }
}

/// One `managedFields` entry.
struct ManagedFieldsEntry: Sendable, Equatable {
    var manager: String
    var operation: String
    var apiVersion: String
    var subresource: String?
    var time: String
    var paths: Set<FieldSet.Path>

    init(manager: String, operation: String, apiVersion: String, subresource: String?, time: String,
         paths: Set<FieldSet.Path>) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.subresource = subresource
        self.time = time
        self.paths = paths
    }

    init?(_ json: JSON) {
        guard let manager = json["manager"]?.string, let operation = json["operation"]?.string else { return nil }
        self.init(manager: manager, operation: operation, apiVersion: json["apiVersion"]?.string ?? "",
                  subresource: json["subresource"]?.string, time: json["time"]?.string ?? "",
                  paths: FieldSet.paths(in: json["fieldsV1"] ?? [:]))
    }

    func json(fields: FieldSet) -> JSON {
        var entry: JSON = ["manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
                           "time": .string(time), "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1]
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }

    /// How apply conflicts name this manager: Update managers with their apiVersion.
    var conflictName: String {
        var name = "\"\(manager)\""
        if let subresource { name += " with subresource \"\(subresource)\"" }
        return operation == "Update" ? "\(name) using \(apiVersion)" : name
    }

    func sameManager(_ other: ManagedFieldsEntry) -> Bool {
        manager == other.manager && operation == other.operation && subresource == other.subresource
    }
}

/// Reads and writes an object's `managedFields`.
enum ManagedFields {
    static func entries(of object: JSON) -> [ManagedFieldsEntry] {
        (object[path: ["metadata", "managedFields"]]?.array ?? []).compactMap(ManagedFieldsEntry.init)
    }

    /// Stores `entries`, dropping the ones that own nothing any more.
    static func store(_ entries: [ManagedFieldsEntry], in object: inout JSON) {
        let kept = entries.filter { !$0.paths.isEmpty }.map { entry in
            var fields = FieldSet()
            for path in entry.paths {
                if path.last?.hasPrefix("k:") == true { fields.members.insert(path) } else { fields.leaves[path] = .null }
            }
            return entry.json(fields: fields)
        }
        object[path: ["metadata", "managedFields"]] = kept.isEmpty ? nil : .array(kept)
    }

    /// An Update (create, PUT, non-apply PATCH) by `manager`: it takes over every field it
    /// added or changed, and a field it removed is nobody's any more.
    static func recordUpdate(manager: String, subresource: String?, old: JSON?, new: inout JSON,
                             type: ResourceType, time: String) {
        let status = subresource == "status"
        let before = old.map { FieldSet(of: $0, type: type, status: status) } ?? FieldSet()
        let after = FieldSet(of: new, type: type, status: status)
        let changed = Set(after.leaves.filter { before.leaves[$0.key] != $0.value }.keys)
            .union(after.members.subtracting(before.members))
        let removed = before.paths.subtracting(after.paths)
        var entries = old.map(entries(of:)) ?? []
        for index in entries.indices where (entries[index].subresource == "status") == status {
            entries[index].paths.subtract(changed)
            entries[index].paths.subtract(removed)
        }
        if !changed.isEmpty {
            let mine = ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: type.apiVersion,
                                          subresource: subresource, time: time, paths: [])
            if let index = entries.firstIndex(where: { $0.sameManager(mine) }) {
                entries[index].paths.formUnion(changed)
                entries[index].time = time
            } else {
                entries.append(ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: type.apiVersion,
                                                  subresource: subresource, time: time, paths: changed))
            }
        }
        store(entries, in: &new)
    }
}
