import MedicKube

/// The PersistentVolume controller and a dynamic provisioner, reduced to their outcome for
/// one claim: a claim whose StorageClass exists gets a volume `pvc-<uid>` and is Bound, at
/// once when the class binds `Immediate`, once a pod using it is bound to a node when it
/// binds `WaitForFirstConsumer`. A claim naming a class that does not exist stays Pending with
/// `ProvisioningFailed`; one with no class (and no default class) with `FailedBinding`.
struct PersistentVolumeController: Controller {
    /// A claim is tried when it changes, and every unbound one when a StorageClass does.
    func work(after event: WatchEvent, in cluster: ClusterState) -> [ControllerWork] {
        switch event.resource {
        case .persistentVolumeClaim where event.type != ObjectStore.Change.deleted.rawValue:
            return [.claim(namespace: ClusterState.namespace(event.object), name: ClusterState.name(event.object))]
        case .storageClass:
            return cluster.list(.persistentVolumeClaim).filter { $0[path: ["status", "phase"]] != "Bound" }.map {
                ControllerWork.claim(namespace: ClusterState.namespace($0), name: ClusterState.name($0))
            }
        default:
            return []
        }
    }

    func reconcile(_ work: ControllerWork, in cluster: inout ClusterState) {
        guard case .claim(let namespace, let name) = work else { return }
        cluster.syncClaim(namespace: namespace, name: name)
    }
}

extension ClusterState {
    static let defaultClassAnnotation = "storageclass.kubernetes.io/is-default-class"

    mutating func syncClaim(namespace: String, name: String) {
        guard var claim = get(.persistentVolumeClaim, namespace: namespace, name: name),
              claim[path: ["status", "phase"]] != "Bound" else { return }
        let style = EventStyle.legacy(component: "persistentvolume-controller")
        guard let className = claim[path: ["spec", "storageClassName"]]?.string, !className.isEmpty else {
            recordEvent(about: claim, type: .persistentVolumeClaim, style: style, eventType: "Normal", reason: "FailedBinding",
                        message: "no persistent volumes available for this claim and no storage class is set")
            return
        }
        guard let storageClass = get(.storageClass, namespace: "", name: className) else {
            recordEvent(about: claim, type: .persistentVolumeClaim, style: style, eventType: "Warning",
                        reason: "ProvisioningFailed", message: "storageclass.storage.k8s.io \"\(className)\" not found")
            return
        }
        if storageClass["volumeBindingMode"]?.string == "WaitForFirstConsumer", !hasBoundConsumer(claim) {
            recordEvent(about: claim, type: .persistentVolumeClaim, style: style, eventType: "Normal",
                        reason: "WaitForFirstConsumer", message: "waiting for first consumer to be created before binding")
            return
        }
        let volumeName = "pvc-\(Self.uid(claim))"
        let capacity = claim[path: ["spec", "resources", "requests", "storage"]] ?? "1Gi"
        let accessModes = claim[path: ["spec", "accessModes"]] ?? ["ReadWriteOnce"]
        save(.persistentVolume, [
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": ["name": .string(volumeName), "uid": .string(Self.newUID()),
                         "creationTimestamp": .string(Timestamp.format(clock())),
                         "annotations": ["pv.kubernetes.io/provisioned-by": storageClass["provisioner"] ?? ""]],
            "spec": [
                "capacity": ["storage": capacity], "accessModes": accessModes,
                "persistentVolumeReclaimPolicy": storageClass["reclaimPolicy"] ?? "Delete",
                "storageClassName": .string(className), "volumeMode": claim[path: ["spec", "volumeMode"]] ?? "Filesystem",
                "claimRef": ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": .string(namespace),
                             "name": .string(name), "uid": .string(Self.uid(claim))],
            ],
            "status": ["phase": "Bound"],
        ])
        let provisioner = storageClass["provisioner"]?.string ?? "kubesim.io/provisioner"
        recordEvent(about: claim, type: .persistentVolumeClaim, style: .legacy(component: provisioner),
                    eventType: "Normal", reason: "ProvisioningSucceeded", message: "Successfully provisioned volume \(volumeName)")
        claim[path: ["spec", "volumeName"]] = .string(volumeName)
        claim[path: ["metadata", "annotations", "pv.kubernetes.io/bind-completed"]] = "yes"
        claim["status"] = ["phase": "Bound", "accessModes": accessModes, "capacity": ["storage": capacity]]
        save(.persistentVolumeClaim, claim)
        enqueue(.schedule)
    }

    /// Whether a pod bound to a node mounts the claim.
    private func hasBoundConsumer(_ claim: JSON) -> Bool {
        list(.pod, namespace: Self.namespace(claim)).contains { pod in
            !(pod[path: ["spec", "nodeName"]]?.string ?? "").isEmpty && Self.claimNames(of: pod).contains(Self.name(claim))
        }
    }

    static func claimNames(of pod: JSON) -> [String] {
        (pod[path: ["spec", "volumes"]]?.array ?? []).compactMap { $0[path: ["persistentVolumeClaim", "claimName"]]?.string }
    }

    /// The default StorageClass (the newest, as the admission plugin picks), if any.
    func defaultStorageClass() -> String? {
        list(.storageClass)
            .filter { $0[path: ["metadata", "annotations", Self.defaultClassAnnotation]]?.string == "true" }
            .max { ($0[path: ["metadata", "creationTimestamp"]]?.string ?? "") < ($1[path: ["metadata", "creationTimestamp"]]?.string ?? "") }
            .map(Self.name)
    }

    /// The VolumeBinding filter's PreFilter: a claim the pod uses that is missing, or unbound
    /// with an `Immediate` class, makes the pod unschedulable on every node.
    func volumeBindingFailure(_ pod: JSON) -> String? {
        for name in Self.claimNames(of: pod) {
            guard let claim = get(.persistentVolumeClaim, namespace: Self.namespace(pod), name: name) else {
                return "persistentvolumeclaim \"\(name)\" not found"
            }
            guard claim[path: ["status", "phase"]] != "Bound" else { continue }
            let className = claim[path: ["spec", "storageClassName"]]?.string ?? ""
            let mode = get(.storageClass, namespace: "", name: className)?["volumeBindingMode"]?.string
            if mode != "WaitForFirstConsumer" { return "pod has unbound immediate PersistentVolumeClaims" }
        }
        return nil
    }

    /// Claims used by a pod that just got a node: a WaitForFirstConsumer claim binds now.
    mutating func claimsConsumed(by pod: JSON) {
        for name in Self.claimNames(of: pod) { enqueue(.claim(namespace: Self.namespace(pod), name: name)) }
    }
}

extension ResourceType {
    public static let persistentVolumeClaim = ResourceType(
        group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim", namespaced: true, shortNames: ["pvc"], categories: [], subresources: ["status"])
    public static let persistentVolume = ResourceType(
        group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", singular: "persistentvolume",
        namespaced: false, shortNames: ["pv"], categories: [], subresources: ["status"])
    public static let storageClass = ResourceType(
        group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", singular: "storageclass",
        namespaced: false, shortNames: ["sc"], categories: [], subresources: [])
}
