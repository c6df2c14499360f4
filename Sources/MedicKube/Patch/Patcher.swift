/// The one entry point the server calls for PATCH: picks the algorithm for the Content-Type
/// and, for strategic merge, the list merge keys for the object's own kind.
public enum Patcher {
    /// Returns the patched object. It does not touch server-owned bookkeeping
    /// (`resourceVersion`, `generation`, `managedFields`); the caller does that.
    public static func apply(_ patch: JSON, type: PatchType, to object: JSON) throws(PatchError) -> JSON {
        switch type {
        case .merge: try MergePatch.apply(patch, to: object)
        case .json: try JSONPatch.apply(patch, to: object)
        case .strategicMerge: try StrategicMergePatch(schema: PatchSchema(for: object)).apply(patch, to: object)
        }
    }
}
