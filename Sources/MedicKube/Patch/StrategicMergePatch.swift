/// Strategic merge patch as the API server applies it (apimachinery `strategicpatch`,
/// `StrategicMergeMapPatch`): maps merge, `null` deletes, lists with a merge strategy merge
/// element by element, other lists are replaced, and the `$patch`, `$retainKeys`,
/// `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives are honoured.
///
/// Where the server would store a directive left-over (a directive inside a value that is new
/// to the object, which a typed decode then half-drops), this engine applies the directive to
/// an empty value instead: a `$patch: delete` element in a brand-new list is dropped rather
/// than kept as an element holding only its merge key.
struct StrategicMergePatch {
    let schema: PatchSchema

    private static let directive = "$patch"
    private static let retainKeys = "$retainKeys"
    private static let setElementOrder = "$setElementOrder/"
    private static let deleteFromPrimitiveList = "$deleteFromPrimitiveList/"

    func apply(_ patch: JSON, to object: JSON) throws(PatchError) -> JSON {
        switch patch {
        case .null:
            return object
        case .object(let fields):
            return .object(try merge(fields, into: object.object ?? [:], at: "") ?? [:])
        default:
            throw .badRequest("json: cannot unmarshal \(patch.jsonKindName) into Go value of type map[string]interface {}")
        }
    }

    // MARK: Maps

    /// Merges a patch map into an original map. Nil means the map is deleted (`$patch: delete`).
    private func merge(_ patch: [String: JSON], into original: [String: JSON]?, at path: String) throws(PatchError) -> [String: JSON]? {
        var patch = patch
        if let directive = patch.removeValue(forKey: Self.directive) {
            switch directive {
            case .string("replace"): return try merge(patch, into: nil, at: path)
            case .string("delete"): return nil
            default: throw Self.unknownDirective(directive, in: patch.merging([Self.directive: directive]) { $1 })
            }
        }
        var result = original ?? [:]
        try applyRetainKeys(&patch, to: &result)
        try applySetElementOrder(&patch, to: &result, at: path)

        for key in patch.keys.sorted() {
            let value = patch[key]!
            if key.hasPrefix(Self.deleteFromPrimitiveList) {
                try deleteFromPrimitiveList(key, value, in: &result, at: path)
                continue
            }
            let fieldPath = Self.join(path, key)
            if value == .null {
                result.removeValue(forKey: key)
                continue
            }
            switch (result[key], value) {
            case (.object(let current)?, .object(let fields)):
                result[key] = try merge(fields, into: current, at: fieldPath).map(JSON.object)
            case (.array(let current)?, .array(let items)):
                result[key] = .array(try merge(items, into: current, at: fieldPath))
            default:
                result[key] = try fresh(value, at: fieldPath)
            }
        }
        return result
    }

    /// A value that is new to the object, with its directives applied to nothing.
    private func fresh(_ value: JSON, at path: String) throws(PatchError) -> JSON? {
        switch value {
        case .object(let fields): try merge(fields, into: nil, at: path).map(JSON.object)
        case .array(let items): .array(try merge(items, into: [], at: path))
        default: value
        }
    }

    /// `$retainKeys`: drop every original key not listed; every key the patch sets must be listed.
    private func applyRetainKeys(_ patch: inout [String: JSON], to result: inout [String: JSON]) throws(PatchError) {
        guard let listed = patch.removeValue(forKey: Self.retainKeys) else { return }
        guard case .array(let names) = listed else { throw .badRequest("invalid patch format of retainKeys") }
        let retained = Set(names.compactMap(\.string))
        for (key, value) in patch where value != .null && !Self.isListDirective(key) && !retained.contains(key) {
            throw .badRequest("invalid patch format of retainKeys")
        }
        result = result.filter { retained.contains($0.key) }
    }

    /// `$setElementOrder/<list>`: merges the sibling list (if any) and puts the result in the
    /// directive's order, interleaving elements only the server has by their live position.
    private func applySetElementOrder(_ patch: inout [String: JSON], to result: inout [String: JSON], at path: String) throws(PatchError) {
        for key in patch.keys.sorted() where key.hasPrefix(Self.setElementOrder) {
            let name = String(key.dropFirst(Self.setElementOrder.count))
            guard case .array(let order)? = patch.removeValue(forKey: key), !name.isEmpty else {
                throw .badRequest("invalid patch format of setElementOrder list")
            }
            let fieldPath = Self.join(path, name)
            // Atomic lists have no order to set; the list itself (if sent) replaces the original.
            guard let strategy = schema.strategy(at: fieldPath) else { continue }
            let originalList = try Self.list(result[name])
            let patchList = try Self.list(patch[name])
            let identity = Self.identity(for: strategy)
            try Self.validate(patchList ?? [], against: order, identity: identity)

            let merged: [JSON]
            switch (originalList, patchList) {
            case (let original?, let items?): merged = try merge(items, into: original, at: fieldPath)
            case (let original?, nil): merged = original
            case (nil, let items?): merged = try merge(items, into: [], at: fieldPath)
            case (nil, nil): continue
            }
            result[name] = .array(Self.arrange(
                merged, identity: identity,
                patchOrder: order.map(identity), serverOrder: (originalList ?? []).map(identity)
            ))
            patch.removeValue(forKey: name)
        }
    }

    /// `$deleteFromPrimitiveList/<list>`: removes these values from a merge-strategy scalar list.
    private func deleteFromPrimitiveList(_ key: String, _ value: JSON, in result: inout [String: JSON], at path: String) throws(PatchError) {
        let name = String(key.dropFirst(Self.deleteFromPrimitiveList.count))
        guard !name.isEmpty else { throw .badRequest("invalid patch format of primitive list") }
        switch value {
        case .null:
            result.removeValue(forKey: name)
        case .array(let doomed):
            guard schema.strategy(at: Self.join(path, name)) == .primitives, case .array(let items)? = result[name] else { return }
            result[name] = .array(items.filter { !doomed.contains($0) })
        default:
            throw .badRequest("invalid patch format of primitive list")
        }
    }

    // MARK: Lists

    private func merge(_ patch: [JSON], into original: [JSON], at path: String) throws(PatchError) -> [JSON] {
        switch schema.strategy(at: path) {
        case .byKey(let key)?: try mergeByKey(patch, into: original, key: key, at: path)
        case .primitives?: try mergePrimitives(patch, into: original)
        case nil: try replaceAtomically(with: patch, at: path)
        }
    }

    /// An atomic list is the patch list, minus directive-only elements a typed decode cannot hold.
    private func replaceAtomically(with patch: [JSON], at path: String) throws(PatchError) -> [JSON] {
        var items: [JSON] = []
        for item in patch {
            guard case .object(let fields) = item else {
                items.append(item)
                continue
            }
            if fields[Self.directive] != nil { continue }
            if let cleaned = try merge(fields, into: nil, at: path + "[]") { items.append(.object(cleaned)) }
        }
        return items
    }

    private func mergeByKey(_ patch: [JSON], into original: [JSON], key: String, at path: String) throws(PatchError) -> [JSON] {
        if original.isEmpty && patch.isEmpty { return original }
        var base = try Self.objects(original)
        var plain: [[String: JSON]] = []
        var replace = false
        for element in try Self.objects(patch) {
            guard let directive = element[Self.directive] else {
                plain.append(element)
                continue
            }
            switch directive {
            case .string("delete"):
                guard let value = element[key] else { throw Self.noMergeKey(element, key) }
                base.removeAll { $0[key] == value }
            case .string("replace"):
                replace = true
            case .string("merge"):
                throw .badRequest("merging lists cannot yet be specified in the patch")
            default:
                throw Self.unknownDirective(directive, in: element)
            }
        }
        if replace {
            var replacement: [[String: JSON]] = []
            for element in plain {
                if let cleaned = try merge(element, into: nil, at: path + "[]") { replacement.append(cleaned) }
            }
            base = replacement
            plain = []
        }

        var merged = base
        for element in plain {
            guard let value = element[key] else { throw Self.noMergeKey(element, key) }
            if let index = merged.firstIndex(where: { $0[key] == value }) {
                merged[index] = try merge(element, into: merged[index], at: path + "[]") ?? [:]
            } else if let added = try merge(element, into: nil, at: path + "[]") {
                merged.append(added)
            }
        }
        for element in merged where element[key] == nil { throw Self.noMergeKey(element, key) }
        let identity: (JSON) -> JSON = { $0[key] ?? .null }
        return Self.arrange(
            merged.map(JSON.object), identity: identity,
            patchOrder: plain.map { $0[key]! }, serverOrder: base.map { $0[key]! }
        )
    }

    private func mergePrimitives(_ patch: [JSON], into original: [JSON]) throws(PatchError) -> [JSON] {
        if original.isEmpty && patch.isEmpty { return original }
        let all = original + patch
        if all.contains(where: { $0.object != nil }) {
            throw .badRequest("list element types are not identical: \(JSON.array(original).goDescription) \(JSON.array(patch).goDescription)")
        }
        var merged: [JSON] = []
        for item in all where !merged.contains(item) { merged.append(item) }
        return Self.arrange(merged, identity: { $0 }, patchOrder: patch, serverOrder: original)
    }

    // MARK: Ordering

    /// The server's ordering rule (`normalizeElementOrder` + `mergeSortedSlice`): elements named
    /// by the patch (or `$setElementOrder`) take that order; the rest keep their live order and
    /// are slotted in before a patch element only when the live list already had them earlier.
    private static func arrange(_ merged: [JSON], identity: (JSON) -> JSON, patchOrder: [JSON], serverOrder: [JSON]) -> [JSON] {
        func position(_ item: JSON, in order: [JSON]) -> Int? { order.firstIndex(of: identity(item)) }
        var patchItems = merged.filter { position($0, in: patchOrder) != nil }
        var serverOnly = merged.filter { position($0, in: patchOrder) == nil }
        patchItems = stableSorted(patchItems) { position($0, in: patchOrder) ?? Int.max }
        serverOnly = stableSorted(serverOnly) { position($0, in: serverOrder) ?? Int.max }

        var result: [JSON] = []
        var left = serverOnly[...]
        var right = patchItems[...]
        while let server = left.first, let fromPatch = right.first {
            if let serverIndex = position(server, in: serverOrder), let patchIndex = position(fromPatch, in: serverOrder),
               serverIndex < patchIndex {
                result.append(left.removeFirst())
            } else {
                result.append(right.removeFirst())
            }
        }
        return result + left + right
    }

    private static func stableSorted(_ items: [JSON], by rank: (JSON) -> Int) -> [JSON] {
        items.enumerated()
            .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            .map(\.element)
    }

    /// The check `$setElementOrder` gets: patch elements must appear in it, in the same relative order.
    private static func validate(_ patch: [JSON], against order: [JSON], identity: (JSON) -> JSON) throws(PatchError) {
        guard !patch.isEmpty, !order.isEmpty else { return }
        let candidates = patch.filter { $0[directive] == nil }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < candidates.count && orderIndex < order.count {
            if identity(candidates[patchIndex]) == identity(order[orderIndex]) { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < candidates.count {
            throw .badRequest(
                "The order in patch list:\n\(JSON.array(patch).goDescription)\n doesn't match $setElementOrder list:\n\(JSON.array(order).goDescription)\n"
            )
        }
    }

    // MARK: Helpers

    private static func identity(for strategy: ListMergeStrategy) -> (JSON) -> JSON {
        switch strategy {
        case .byKey(let key): { $0[key] ?? .null }
        case .primitives: { $0 }
        }
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    private static func isListDirective(_ key: String) -> Bool {
        key.hasPrefix(deleteFromPrimitiveList) || key.hasPrefix(setElementOrder)
    }

    private static func list(_ value: JSON?) throws(PatchError) -> [JSON]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            throw .badRequest("expected a []interface {}, but received a \(value.goTypeName)")
        }
        return items
    }

    private static func objects(_ items: [JSON]) throws(PatchError) -> [[String: JSON]] {
        var objects: [[String: JSON]] = []
        for item in items {
            guard case .object(let fields) = item else {
                throw .badRequest("expected a map[string]interface {}, but received a \(item.goTypeName)")
            }
            objects.append(fields)
        }
        return objects
    }

    private static func noMergeKey(_ element: [String: JSON], _ key: String) -> PatchError {
        .badRequest("map: \(JSON.object(element).goDescription) does not contain declared merge key: \(key)")
    }

    private static func unknownDirective(_ directive: JSON, in element: [String: JSON]) -> PatchError {
        .badRequest("unknown patch type: \(directive.goDescription) in map: \(JSON.object(element).goDescription)")
    }
}
