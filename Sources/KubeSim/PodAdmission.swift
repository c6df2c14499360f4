import MedicKube

/// The mutating admission plugins every real cluster runs on a new pod, after defaulting:
/// Priority (`priority` 0, `preemptionPolicy` PreemptLowerPriority), ServiceAccount (the
/// `default` account and its projected `kube-api-access-…` token volume, mounted read-only in
/// every container) and DefaultTolerationSeconds (300 s for `not-ready` and `unreachable`).
/// So `kubectl describe pod` and medic see what they see on a real cluster. The account is not
/// required to exist (the service-account controller that creates `default` is not modelled).
extension ClusterState {
    static let serviceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Defaults and admits a pod about to be created (its uid already set).
    mutating func admitNewPod(_ pod: inout JSON) {
        applyDefaults(.pod, &pod)
        guard var spec = pod["spec"], spec.object != nil else { return }
        Defaults.fill(&spec, ["priority"], 0)
        Defaults.fill(&spec, ["preemptionPolicy"], "PreemptLowerPriority")
        Defaults.fill(&spec, ["serviceAccountName"], "default")
        Defaults.fill(&spec, ["serviceAccount"], spec["serviceAccountName"] ?? "default")
        if spec["automountServiceAccountToken"]?.bool != false {
            Self.mountServiceAccountToken(&spec, uid: Self.uid(pod))
        }
        var tolerations = spec["tolerations"]?.array ?? []
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        where !tolerations.contains(where: { $0["key"]?.string == key && ($0["effect"]?.string ?? "NoExecute") == "NoExecute" }) {
            tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
        }
        spec["tolerations"] = .array(tolerations)
        pod["spec"] = spec
    }

    /// The token volume (named after the pod's uid, so a played scenario's names do not shift)
    /// and a read-only mount in each container that does not mount the path itself.
    private static func mountServiceAccountToken(_ spec: inout JSON, uid: String) {
        var generator = SplitMix64(name: uid)
        let volume = "kube-api-access-" + PodTemplateHash.suffix(using: &generator)
        var volumes = spec["volumes"]?.array ?? []
        volumes.append([
            "name": .string(volume),
            "projected": [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace",
                                                "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
            ],
        ])
        spec["volumes"] = .array(volumes)
        for list in ["initContainers", "containers"] {
            Defaults.each(&spec, [list]) { container in
                var mounts = container["volumeMounts"]?.array ?? []
                guard !mounts.contains(where: { $0["mountPath"]?.string == serviceAccountMountPath }) else { return }
                mounts.append(["name": .string(volume), "readOnly": true, "mountPath": .string(serviceAccountMountPath)])
                container["volumeMounts"] = .array(mounts)
            }
        }
    }

    /// A pod as a kubelet would report it once started: the template, an owner reference and
    /// the status the pod status model decides. Throws what admission refuses (a quota).
    @discardableResult
    mutating func createPod(from template: JSON, owner: JSON, type: ResourceType, name: String,
                            extraLabels: [String: JSON] = [:]) throws(APIError) -> JSON {
        var labels = template[path: ["metadata", "labels"]]?.object ?? [:]
        labels.merge(extraLabels) { _, new in new }
        var metadata: [String: JSON] = [
            "name": .string(name), "namespace": .string(Self.namespace(owner)), "uid": .string(Self.newUID()),
            "creationTimestamp": .string(Timestamp.format(clock())), "labels": .object(labels),
            "ownerReferences": [Self.ownerReference(to: owner, type: type)],
        ]
        if type != .statefulSet { metadata["generateName"] = .string(Self.name(owner) + "-") }
        if let annotations = template[path: ["metadata", "annotations"]] { metadata["annotations"] = annotations }
        var pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata),
                         "spec": template["spec"] ?? [:]]
        admitNewPod(&pod)
        try admitAgainstQuotas(pod)
        let decision = placeNewPod(&pod)
        let stored = save(.pod, pod)
        if let decision { recordScheduling(decision, pod: stored) }
        return stored
    }
}
