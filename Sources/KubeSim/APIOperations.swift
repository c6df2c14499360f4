import MedicKube
/// The apiserver's write semantics over `ClusterState`: create, update, patch, delete and the
/// scale subresource, each with `dryRun` (validate and answer, store nothing).
extension ClusterState {
    static let statusSubresourceTypes: Set<ResourceType> = [.deployment, .replicaSet, .statefulSet, .daemonSet, .job, .pod,
                                                            .customResourceDefinition]

    /// Whether writes to the main resource leave `status` alone (and create drops it).
    static func hasStatusSubresource(_ type: ResourceType) -> Bool {
        statusSubresourceTypes.contains(type) || type.custom?.statusSubresource == true
    }

    /// `manager` is the request's field manager; internal writes (controllers, the scenario
    /// timeline) pass none and record no ownership.
    mutating func create(_ type: ResourceType, namespace: String, body: JSON, dryRun: Bool,
                         manager: String? = nil) throws(APIError) -> JSON {
        var object = try Self.checkedBody(type, body, namespace: namespace)
        if type.custom != nil { object = CustomResourceSchema.pruned(object, type: type) }
        if Self.name(object).isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.string, !prefix.isEmpty {
            object[path: ["metadata", "name"]] = .string(prefix + nameSuffix())
        }
        let name = Self.name(object)
        if type.namespaced, get(.namespace, namespace: "", name: namespace) == nil {
            throw APIError.notFound(.namespace, namespace)
        }
        if get(type, namespace: namespace, name: name) != nil { throw APIError.alreadyExists(type, name) }
        try Validation.check(type, object)
        applyDefaults(type, &object)
        object[path: ["metadata", "uid"]] = .string(Self.newUID())
        if type == .pod { admitNewPod(&object) }
        object[path: ["metadata", "creationTimestamp"]] = .string(Timestamp.format(clock()))
        object[path: ["metadata", "resourceVersion"]] = nil
        if Self.tracksGeneration(type) { object[path: ["metadata", "generation"]] = 1 }
        if Self.hasStatusSubresource(type) { object["status"] = nil }
        if type == .namespace { object["status"] = ["phase": "Active"] }
        if type == .persistentVolumeClaim {
            // The DefaultStorageClass admission plugin, then a claim starts Pending.
            if object[path: ["spec", "storageClassName"]] == nil, let name = defaultStorageClass() {
                object[path: ["spec", "storageClassName"]] = .string(name)
            }
            object["status"] = ["phase": "Pending"]
        }
        if let manager {
            object[path: ["metadata", "managedFields"]] = nil
            ManagedFields.recordUpdate(manager: manager, subresource: nil, old: nil, new: &object, type: type,
                                       time: Timestamp.format(clock()))
        }
        var decision: SchedulingDecision?
        if type == .pod {
            try admitAgainstQuotas(object)
            decision = placeNewPod(&object)
        }
        if dryRun { return object }
        let stored = commit(type, object, .added, then: .reconcile)
        if let decision {
            recordScheduling(decision, pod: stored)
            claimsConsumed(by: stored)
        }
        settle()
        return get(type, namespace: namespace, name: name) ?? stored
    }

    /// PUT: the body replaces the object; a non-empty `metadata.resourceVersion` must match.
    /// `subresource: "status"` replaces only the status, the main resource everything but it.
    mutating func replace(_ type: ResourceType, namespace: String, name: String, body: JSON,
                          subresource: String?, dryRun: Bool, manager: String? = nil) throws(APIError) -> JSON {
        guard let old = get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
        var object = try Self.checkedBody(type, body, namespace: namespace)
        if type.custom != nil { object = CustomResourceSchema.pruned(object, type: type) }
        if Self.name(object) != name {
            throw APIError.badRequest("the name of the object (\(Self.name(object))) does not match the name on the URL (\(name))")
        }
        if let version = object[path: ["metadata", "resourceVersion"]]?.string, !version.isEmpty,
           version != old[path: ["metadata", "resourceVersion"]]?.string {
            throw APIError.conflict(type, name)
        }
        if subresource == "status" {
            var updated = old
            updated["status"] = object["status"]
            object = updated
        } else if Self.hasStatusSubresource(type) {
            object["status"] = old["status"]
        }
        for field in ["uid", "creationTimestamp", "generation", "deletionTimestamp"] {
            object[path: ["metadata", field]] = old[path: ["metadata", field]]
        }
        if subresource != "status" { applyDefaults(type, &object) }
        // A request that rewrites managedFields itself (kubectl's client-side to server-side
        // apply migration) is taken as given; otherwise the update is recorded for its manager.
        let given = object[path: ["metadata", "managedFields"]]
        if let manager, given == nil || given == old[path: ["metadata", "managedFields"]] {
            object[path: ["metadata", "managedFields"]] = old[path: ["metadata", "managedFields"]]
            ManagedFields.recordUpdate(manager: manager, subresource: subresource, old: old, new: &object, type: type,
                                       time: Timestamp.format(clock()))
        }
        try Validation.check(type, object)
        if dryRun { return Self.previewSave(type, object, old: old) }
        let stored = save(type, object)
        settle()
        return get(type, namespace: namespace, name: name) ?? stored
    }

    mutating func patch(_ type: ResourceType, namespace: String, name: String, patch: JSON, patchType: PatchType,
                        subresource: String?, dryRun: Bool, manager: String? = nil) throws(APIError) -> JSON {
        guard let old = get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
        let patched = try Self.applying(patch, type: patchType, to: old)
        var body = patched
        if body[path: ["metadata", "resourceVersion"]]?.string == nil {
            body[path: ["metadata", "resourceVersion"]] = old[path: ["metadata", "resourceVersion"]]
        }
        return try replace(type, namespace: namespace, name: name, body: body, subresource: subresource, dryRun: dryRun,
                           manager: manager)
    }

    /// Removes an object. Pods come back as the deleted object, everything else as a
    /// Success Status, as the apiserver answers when deletion is immediate.
    mutating func delete(_ type: ResourceType, namespace: String, name: String,
                         options: DeleteOptions) throws(APIError) -> JSON {
        guard let old = get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
        try options.check(old, type, name)
        var deleted = old
        if !options.dryRun {
            deleted = remove(type, namespace: namespace, name: name, dependents: options.dependents) ?? old
            settle()
        }
        if type == .pod { return deleted }
        return [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success",
            "details": ["name": .string(name), "group": .string(type.group), "kind": .string(type.plural),
                        "uid": .string(Self.uid(old))],
        ]
    }

    // MARK: Scale subresource

    func scale(_ type: ResourceType, namespace: String, name: String) throws(APIError) -> JSON {
        guard let object = get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
        return Self.scale(of: object)
    }

    static func scale(of object: JSON) -> JSON {
        var metadata: [String: JSON] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            metadata[field] = object[path: ["metadata", field]]
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": ["replicas": object[path: ["spec", "replicas"]] ?? 1],
            "status": ["replicas": object[path: ["status", "replicas"]] ?? 0,
                       "selector": .string(LabelSelector(selector: object[path: ["spec", "selector"]]).text)],
        ]
    }

    /// PUT or PATCH of `/scale`: only `spec.replicas` reaches the workload.
    mutating func updateScale(_ type: ResourceType, namespace: String, name: String, patch: JSON?,
                              patchType: PatchType?, body: JSON?, dryRun: Bool,
                              manager: String? = nil) throws(APIError) -> JSON {
        let current = try scale(type, namespace: namespace, name: name)
        var desired: JSON
        if let patch, let patchType {
            desired = try Self.applying(patch, type: patchType, to: current)
        } else {
            desired = body ?? [:]
        }
        if let version = desired[path: ["metadata", "resourceVersion"]]?.string, !version.isEmpty,
           version != current[path: ["metadata", "resourceVersion"]]?.string {
            throw APIError.conflict(type, name)
        }
        guard let replicas = desired[path: ["spec", "replicas"]]?.int else {
            throw APIError.invalid(.init(group: "autoscaling", version: "v1", kind: "Scale", plural: "scale", singular: "",
                                         namespaced: true, shortNames: [], categories: [], subresources: []),
                                   name, [.required("spec.replicas")])
        }
        guard let old = get(type, namespace: namespace, name: name) else { throw APIError.notFound(type, name) }
        var object = old
        object[path: ["spec", "replicas"]] = .int(replicas)
        // The manager owns `spec.replicas` through the scale subresource, as apply conflicts say.
        if let manager {
            ManagedFields.recordUpdate(manager: manager, subresource: "scale", old: old, new: &object, type: type,
                                       time: Timestamp.format(clock()))
        }
        let updated = try replace(type, namespace: namespace, name: name, body: object, subresource: nil, dryRun: dryRun)
        return Self.scale(of: updated)
    }

    // MARK: Helpers

    private static func applying(_ patch: JSON, type patchType: PatchType, to object: JSON) throws(APIError) -> JSON {
        do {
            return try Patcher.apply(patch, type: patchType, to: object)
        } catch {
            throw APIError(code: error.code, reason: error.reason.rawValue, message: error.message,
                           keepsEmptyDetails: error.detail != nil)
        }
    }

    /// The body of a create or update: the right kind and apiVersion, in the URL's namespace.
    private static func checkedBody(_ type: ResourceType, _ body: JSON, namespace: String) throws(APIError) -> JSON {
        guard body.object != nil else { throw APIError.badRequest("the body of the request must be a JSON object") }
        var object = body
        if let kind = object["kind"]?.string, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
        if let apiVersion = object["apiVersion"]?.string, !apiVersion.isEmpty, apiVersion != type.apiVersion {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        object["kind"] = .string(type.kind)
        object["apiVersion"] = .string(type.apiVersion)
        if object["metadata"]?.object == nil { object["metadata"] = [:] }
        if type.namespaced {
            if let given = object[path: ["metadata", "namespace"]]?.string, !given.isEmpty, given != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: ["metadata", "namespace"]] = .string(namespace)
        }
        return object
    }

    /// What `save` would store, without storing it.
    private static func previewSave(_ type: ResourceType, _ given: JSON, old: JSON) -> JSON {
        var object = given
        object[path: ["metadata", "resourceVersion"]] = old[path: ["metadata", "resourceVersion"]]
        if tracksGeneration(type), specChanged(type, from: old, to: object) {
            object[path: ["metadata", "generation"]] = .int(generation(old) + 1)
        }
        return object
    }
}
