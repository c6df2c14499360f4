import MedicKube

/// How to delete, as `metav1.DeleteOptions` says it: what becomes of the objects the deleted
/// one owns, and whether anything is deleted at all (a dry run).
struct DeleteOptions: Sendable {
    var dependents: GarbageCollector.Dependents
    var dryRun: Bool

    init(dependents: GarbageCollector.Dependents = .delete, dryRun: Bool = false) {
        self.dependents = dependents
        self.dryRun = dryRun
    }

    /// A DELETE request's options: its body's `propagationPolicy`, `orphanDependents` and
    /// `dryRun`, or the same in its query.
    init(body: JSON, query: Query) {
        let orphan = (body["propagationPolicy"]?.string ?? query["propagationPolicy"]) == "Orphan"
            || body["orphanDependents"]?.bool == true
        self.init(dependents: orphan ? .orphan : .delete,
                  dryRun: query.dryRun || (body["dryRun"]?.array ?? []).contains("All"))
    }
}
