/// JSON merge patch (RFC 7386), as `kubectl scale` and `kubectl patch --type=merge` send it:
/// objects merge key by key, `null` deletes a key, anything else (lists included) replaces.
enum MergePatch {
    static func apply(_ patch: JSON, to document: JSON) throws(PatchError) -> JSON {
        // evanphx/json-patch rejects a patch that is not an object with ErrBadJSONPatch,
        // which the API server returns as a 400.
        guard case .object = patch else { throw .badRequest("Invalid JSON Patch") }
        return merge(patch, into: document)
    }

    private static func merge(_ patch: JSON, into target: JSON) -> JSON {
        guard case .object(let patchFields) = patch else { return patch.withoutNullMembers() }
        var fields = target.object ?? [:]
        for (key, value) in patchFields {
            if value == .null {
                fields.removeValue(forKey: key)
            } else {
                fields[key] = merge(value, into: fields[key] ?? .null)
            }
        }
        return .object(fields)
    }
}

extension JSON {
    /// The value with `null` object members removed at every depth. A typed API object has
    /// no way to hold them, so a real server never stores them.
    fileprivate func withoutNullMembers() -> JSON {
        switch self {
        case .object(let fields): .object(fields.filter { $0.value != .null }.mapValues { $0.withoutNullMembers() })
        case .array(let items): .array(items.map { $0.withoutNullMembers() })
        default: self
        }
    }
}
