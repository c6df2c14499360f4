import MedicKube

/// How to delete, as `metav1.DeleteOptions` says it: what becomes of the objects the deleted
/// one owns, whether anything is deleted at all (a dry run), and which object it must be
/// (`preconditions`: its uid and resourceVersion, or the delete is a 409).
struct DeleteOptions: Sendable {
    var dependents: GarbageCollector.Dependents
    var dryRun: Bool
    var uid: String?
    var resourceVersion: String?

    init(dependents: GarbageCollector.Dependents = .delete, dryRun: Bool = false, uid: String? = nil,
         resourceVersion: String? = nil) {
        self.dependents = dependents
        self.dryRun = dryRun
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// A DELETE request's options: its body's `propagationPolicy`, `orphanDependents`,
    /// `dryRun` and `preconditions`, or the first three in its query.
    init(body: JSON, query: Query) {
        let orphan = (body["propagationPolicy"]?.string ?? query["propagationPolicy"]) == "Orphan"
            || body["orphanDependents"]?.bool == true
        self.init(dependents: orphan ? .orphan : .delete,
                  dryRun: query.dryRun || (body["dryRun"]?.array ?? []).contains("All"),
                  uid: body[path: ["preconditions", "uid"]]?.string,
                  resourceVersion: body[path: ["preconditions", "resourceVersion"]]?.string)
    }

    /// The apiserver's check (storage `Preconditions.Check`), with its message: a uid or
    /// resourceVersion that is not the object's is a conflict.
    func check(_ object: JSON, _ type: ResourceType, _ name: String) throws(APIError) {
        for (field, wanted) in [("UID", uid), ("ResourceVersion", resourceVersion)] {
            guard let wanted else { continue }
            let actual = object[path: ["metadata", field == "UID" ? "uid" : "resourceVersion"]]?.string ?? ""
            guard wanted != actual else { continue }
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(type.groupResource) \"\(name)\": Precondition failed: "
                               + "\(field) in precondition: \(wanted), \(field) in object meta: \(actual)",
                           name: name, group: type.group, kind: type.plural)
        }
    }
}
