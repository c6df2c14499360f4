/// The strategic merge patch that turns one version of an object into another, as kubectl's
/// `CreateTwoWayMergePatch` builds it: changed map keys, `null` for removed ones, list elements
/// matched by their merge key (`$patch: delete` for removed ones, `$setElementOrder` when
/// elements are added), and other lists whole.
///
/// medic uses it to carry a fix from the live object to a manifest in Git: the difference a
/// live change makes, applied with `Patcher` to the YAML the GitOps controller syncs from,
/// changes the same fields there and nothing else (defaulted fields are equal on both sides,
/// so they never appear in it).
public enum TwoWayMergePatch {
    /// The patch from `original` to `modified`; an empty object when they are equal.
    public static func create(from original: JSON, to modified: JSON) -> JSON {
        let schema = PatchSchema(for: original)
        return .object(diff(original.object ?? [:], modified.object ?? [:], at: "", schema: schema))
    }

    private static func diff(_ original: [String: JSON], _ modified: [String: JSON], at path: String, schema: PatchSchema) -> [String: JSON] {
        var patch: [String: JSON] = [:]
        for key in original.keys where modified[key] == nil {
            patch[key] = .null
        }
        for (key, new) in modified {
            let fieldPath = path.isEmpty ? key : "\(path).\(key)"
            switch (original[key], new) {
            case (nil, _):
                patch[key] = new
            case (let old?, _) where old == new:
                continue
            case (.object(let old)?, .object(let fields)):
                patch[key] = .object(diff(old, fields, at: fieldPath, schema: schema))
            case (.array(let old)?, .array(let items)):
                guard let change = diff(old, items, at: fieldPath, schema: schema) else { continue }
                patch[key] = change
                // New elements would be merged in ahead of the others; kubectl pins the order.
                if case .byKey(let mergeKey)? = schema.strategy(at: fieldPath),
                   items.contains(where: { item in !old.contains { $0[mergeKey] == item[mergeKey] } }) {
                    patch["$setElementOrder/\(key)"] = .array(items.map { .object([mergeKey: $0[mergeKey]!]) })
                }
            default:
                patch[key] = new
            }
        }
        return patch
    }

    /// nil when the lists merge to the same thing.
    private static func diff(_ original: [JSON], _ modified: [JSON], at path: String, schema: PatchSchema) -> JSON? {
        guard case .byKey(let mergeKey)? = schema.strategy(at: path),
              original.allSatisfy({ $0[mergeKey] != nil }), modified.allSatisfy({ $0[mergeKey] != nil })
        else { return original == modified ? nil : .array(modified) }
        let elementPath = "\(path)[]"
        var items: [JSON] = []
        for element in modified {
            let key = element[mergeKey]!
            guard let old = original.first(where: { $0[mergeKey] == key }) else {
                items.append(element)
                continue
            }
            guard old != element else { continue }
            var change = diff(old.object ?? [:], element.object ?? [:], at: elementPath, schema: schema)
            change[mergeKey] = key
            items.append(.object(change))
        }
        for old in original where !modified.contains(where: { $0[mergeKey] == old[mergeKey] }) {
            items.append(.object([mergeKey: old[mergeKey]!, "$patch": .string("delete")]))
        }
        return items.isEmpty ? nil : .array(items)
    }
}
