/// The patch media types kubectl uses; the server picks the merge semantics from these.
enum ContentType {
    static let strategicMergePatch = "application/strategic-merge-patch+json"
    static let mergePatch = "application/merge-patch+json"
    static let jsonPatch = "application/json-patch+json"
    static let json = "application/json"
}
