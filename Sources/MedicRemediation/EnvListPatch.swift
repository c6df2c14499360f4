import MedicKube
/// What `set env` does to one container's `env` list, and the strategic-merge diff kubectl
/// derives from it. Shared by `set-env` and `unset-env`, which are the same kubectl verb.
enum EnvListPatch {
    /// kubectl's `updateEnv`: drop removed names, replace assigned ones in place (first
    /// occurrence wins, later duplicates vanish), then append new ones in the given order.
    static func updated(
        _ existing: [PodTemplateSnapshot.EnvVar],
        assigning assignments: [EnvAssignment],
        removing removed: [String]
    ) -> [PodTemplateSnapshot.EnvVar] {
        var covered = Set(removed)
        var result: [PodTemplateSnapshot.EnvVar] = []
        for variable in existing where !covered.contains(variable.name) {
            if let newer = assignments.first(where: { $0.name == variable.name }) {
                covered.insert(variable.name)
                result.append(.init(name: newer.name, value: newer.value))
            } else {
                result.append(variable)
            }
        }
        for assignment in assignments where !covered.contains(assignment.name) {
            covered.insert(assignment.name)
            result.append(.init(name: assignment.name, value: assignment.value))
        }
        return result
    }

    /// The container fields of the two-way diff between `original` and `modified` env lists.
    /// An empty list is the same as no list (Go's `omitempty`): adding the first variables
    /// sends the whole list, removing the last sends `"env": null`.
    static func diff(from original: [PodTemplateSnapshot.EnvVar], to modified: [PodTemplateSnapshot.EnvVar]) -> [String: JSON] {
        if original == modified { return [:] }
        if original.isEmpty { return ["env": .array(modified.map(element))] }
        if modified.isEmpty { return ["env": .null] }

        var patch: [JSON] = []
        for variable in modified {
            guard let old = original.first(where: { $0.name == variable.name }) else {
                patch.append(element(variable))
                continue
            }
            var fields: [String: JSON] = [:]
            if old.value != variable.value {
                fields["value"] = variable.value.isEmpty ? .null : .string(variable.value)
            }
            if old.hasValueFrom, !variable.hasValueFrom {
                fields["valueFrom"] = .null
            }
            if !fields.isEmpty {
                fields["name"] = .string(variable.name)
                patch.append(.object(fields))
            }
        }
        let modifiedNames = Set(modified.map(\.name))
        let deleted = Set(original.map(\.name)).subtracting(modifiedNames).sorted(by: JSON.goOrder)
        patch += deleted.map { .object(["$patch": .string("delete"), "name": .string($0)]) }
        guard !patch.isEmpty else { return [:] }
        return [
            "$setElementOrder/env": .array(modified.map { .object(["name": .string($0.name)]) }),
            "env": .array(patch),
        ]
    }

    /// A variable kubectl adds: its name, and its value unless empty (`omitempty`).
    private static func element(_ variable: PodTemplateSnapshot.EnvVar) -> JSON {
        variable.value.isEmpty ? .object(["name": .string(variable.name)])
            : .object(["name": .string(variable.name), "value": .string(variable.value)])
    }
}
