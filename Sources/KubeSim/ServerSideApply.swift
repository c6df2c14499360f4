import MedicKube
import Foundation

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`): the configuration is
/// merged into the live object, the manager's Apply entry becomes exactly the fields it
/// applied, fields it applied before and no longer does (and nobody else owns) are removed,
/// and setting a field another manager owns to a different value is a conflict unless forced.
extension ClusterState {
    struct ApplyRequest: Sendable {
        var manager: String
        var force: Bool
        var dryRun: Bool
        var subresource: String?
    }

    /// Returns the stored object and whether it was created (201) rather than updated.
    mutating func apply(_ type: ResourceType, namespace: String, name: String, configuration: JSON,
                        request: ApplyRequest) throws(APIError) -> (object: JSON, created: Bool) {
        guard !request.manager.isEmpty else {
            throw APIError.badRequest("PATCH, application/apply-patch+yaml requires fieldManager to be set")
        }
        try FieldValidation.checkApply(configuration, type: type, namespace: namespace, name: name)
        let status = request.subresource == "status"
        let applied = FieldSet(of: configuration, type: type, status: status)
        let time = Timestamp.format(clock())
        let mine = ManagedFieldsEntry(manager: request.manager, operation: "Apply", apiVersion: type.apiVersion,
                                      subresource: request.subresource, time: time, paths: applied.paths)
        guard let live = get(type, namespace: namespace, name: name) else {
            var object = configuration
            object[path: ["metadata", "name"]] = .string(name)
            ManagedFields.store([mine], in: &object)
            return (try create(type, namespace: namespace, body: object, dryRun: request.dryRun), true)
        }
        var entries = ManagedFields.entries(of: live)
        let current = FieldSet(of: live, type: type, status: status)
        var conflicts: [(entry: ManagedFieldsEntry, path: FieldSet.Path)] = []
        for (path, value) in applied.leaves where current.leaves[path] != nil && current.leaves[path] != value {
            for entry in entries where !entry.sameManager(mine) && entry.paths.contains(path)
                && (entry.subresource == "status") == status {
                conflicts.append((entry, path))
            }
        }
        if !conflicts.isEmpty {
            guard request.force else { throw Self.applyConflict(conflicts) }
            for index in entries.indices { entries[index].paths.subtract(conflicts.map(\.path)) }
        }
        var object = try Self.merging(configuration, into: live)
        let previous = entries.first { $0.sameManager(mine) }?.paths ?? []
        let others = entries.filter { !$0.sameManager(mine) }.reduce(into: Set<FieldSet.Path>()) { $0.formUnion($1.paths) }
        // Outermost first, so a list element goes before its own key fields (which find it); an
        // element or map another manager still owns something inside stays.
        for path in previous.subtracting(applied.paths).subtracting(others).sorted(by: { $0.count < $1.count })
        where !others.contains(where: { $0.count > path.count && Array($0.prefix(path.count)) == path }) {
            Self.remove(path, from: &object)
        }
        entries.removeAll { $0.sameManager(mine) }
        entries.append(mine)
        ManagedFields.store(entries, in: &object)
        object[path: ["metadata", "resourceVersion"]] = live[path: ["metadata", "resourceVersion"]]
        let stored = try replace(type, namespace: namespace, name: name, body: object, subresource: request.subresource,
                                 dryRun: request.dryRun, manager: nil)
        return (stored, false)
    }

    /// The apply configuration merged into the live object: maps field by field, keyed lists
    /// element by element, everything else replaced (the strategic-merge engine's semantics).
    private static func merging(_ configuration: JSON, into live: JSON) throws(APIError) -> JSON {
        var patch = configuration
        patch["status"] = configuration["status"]
        do {
            return try Patcher.apply(patch, type: .strategicMerge, to: live)
        } catch {
            throw APIError(code: error.code, reason: error.reason.rawValue, message: error.message)
        }
    }

    /// Removes one owned field (or keyed-list element) from an object.
    private static func remove(_ path: FieldSet.Path, from object: inout JSON) {
        guard let step = path.first else { return }
        let rest = Array(path.dropFirst())
        let body = String(step.dropFirst(2))
        switch step.prefix(2) {
        case "f:":
            guard var child = object[body] else { return }
            if rest.isEmpty { object[body] = nil; return }
            remove(rest, from: &child)
            object[body] = child
        case "k:", "v:":
            guard var items = object.array, let key = try? JSON(parsing: Data(body.utf8)) else { return }
            let matches: (JSON) -> Bool = { item in
                step.hasPrefix("v:") ? item == key : (key.object ?? [:]).allSatisfy { item[$0.key] == $0.value }
            }
            guard let index = items.firstIndex(where: matches) else { return }
            if rest.isEmpty {
                items.remove(at: index)
            } else {
                remove(rest, from: &items[index])
            }
            object = .array(items)
        default:
            break
        }
    }

    /// The 409 `apimachinery`'s `NewConflictError` gives.
    static func applyConflict(_ found: [(entry: ManagedFieldsEntry, path: FieldSet.Path)]) -> APIError {
        // Field sets are ordered; here by manager, then path.
        let conflicts = found.sorted { ($0.entry.conflictName, FieldSet.text($0.path)) < ($1.entry.conflictName, FieldSet.text($1.path)) }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].entry.conflictName): "
                + FieldSet.text(conflicts[0].path)
        } else {
            var lines: [String] = []
            for name in Set(conflicts.map(\.entry.conflictName)).sorted() {
                lines.append("conflicts with \(name):")
                lines += conflicts.filter { $0.entry.conflictName == name }.map { "- " + FieldSet.text($0.path) }.sorted()
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, causes: conflicts.map {
            .init(reason: "FieldManagerConflict", message: "conflict with \($0.entry.conflictName)", field: FieldSet.text($0.path))
        })
    }
}
