import Foundation

/// Every default an inline test object gets, in one place, so a test shows what it relies on.
/// Only what is written plus these: no pods or ReplicaSets are invented for a Deployment.
///
/// - `apiVersion` from the kind (`apps/v1` for workloads, `v1` for core kinds);
/// - `metadata.namespace`: `default` (not for Namespaces);
/// - `metadata.uid`: derived from kind, namespace and name, so an `ownerReferences` entry can
///   name its owner by `kind` and `name` alone (its `uid`, `apiVersion` and `controller: true`
///   are filled in the same way);
/// - `metadata.creationTimestamp`: one hour before the test's `eval_time`;
/// - a workload without `spec.selector` selects its pod template's labels;
/// - an Event without a name is called `<object>.<n>`, in the object's namespace.
public enum ManifestDefaults {
    public static let namespace = "default"
    public static let age: TimeInterval = 3600
    /// Series spacing for `input_series` when the test gives no `interval`.
    public static let inputSeriesInterval: TimeInterval = 30

    static let apiVersions: [String: String] = [
        "Deployment": "apps/v1", "ReplicaSet": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
        "Job": "batch/v1", "Pod": "v1", "Service": "v1", "Endpoints": "v1", "Event": "v1", "Namespace": "v1",
        "ConfigMap": "v1", "NetworkPolicy": "networking.k8s.io/v1", "Ingress": "networking.k8s.io/v1",
        "HTTPRoute": "gateway.networking.k8s.io/v1",
        // Fault-injection experiments medic recognises.
        "PodChaos": "chaos-mesh.org/v1alpha1", "NetworkChaos": "chaos-mesh.org/v1alpha1",
        "StressChaos": "chaos-mesh.org/v1alpha1", "IOChaos": "chaos-mesh.org/v1alpha1", "HTTPChaos": "chaos-mesh.org/v1alpha1",
        "TimeChaos": "chaos-mesh.org/v1alpha1", "DNSChaos": "chaos-mesh.org/v1alpha1", "KernelChaos": "chaos-mesh.org/v1alpha1",
        "JVMChaos": "chaos-mesh.org/v1alpha1", "ChaosEngine": "litmuschaos.io/v1alpha1",
        // A crashed container's log (`metadata.name` is the pod), as `medic snapshot` saves it.
        "PodLog": "medic.io/v1",
    ]

    public static var kinds: [String] { apiVersions.keys.sorted() }

    /// A stable, UUID-shaped uid for an object of the test.
    public static func uid(kind: String, namespace: String, name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(kind)/\(namespace)/\(name)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return "00000000-0000-4000-8\(digits.prefix(3))-\(digits.suffix(12))"
    }

    /// Fills the defaults into one manifest (a JSON-shaped dictionary) of the given kind.
    public static func apply(_ object: inout [String: Any], kind: String, evalTime: Date, index: Int) {
        if object["apiVersion"] == nil { object["apiVersion"] = apiVersions[kind] }
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        let namespace = kind == "Namespace" ? "" : metadata["namespace"] as? String ?? namespace
        if kind != "Namespace" { metadata["namespace"] = namespace }
        if kind == "Event", metadata["name"] == nil {
            var involved = object["involvedObject"] as? [String: Any] ?? [:]
            if involved["namespace"] == nil { involved["namespace"] = namespace }
            object["involvedObject"] = involved
            metadata["name"] = "\(involved["name"] as? String ?? "event").\(index)"
        }
        let name = metadata["name"] as? String ?? ""
        if metadata["uid"] == nil { metadata["uid"] = uid(kind: kind, namespace: namespace, name: name) }
        if metadata["creationTimestamp"] == nil {
            metadata["creationTimestamp"] = ISO8601DateFormatter().string(from: evalTime.addingTimeInterval(-age))
        }
        if let owners = metadata["ownerReferences"] as? [[String: Any]] {
            metadata["ownerReferences"] = owners.map { owner in
                var owner = owner
                let ownerKind = owner["kind"] as? String ?? ""
                if owner["apiVersion"] == nil { owner["apiVersion"] = apiVersions[ownerKind] ?? "v1" }
                if owner["uid"] == nil {
                    owner["uid"] = uid(kind: ownerKind, namespace: namespace, name: owner["name"] as? String ?? "")
                }
                if owner["controller"] == nil { owner["controller"] = true }
                return owner
            }
        }
        object["metadata"] = metadata
        if ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"].contains(kind),
           var spec = object["spec"] as? [String: Any], spec["selector"] == nil,
           let template = spec["template"] as? [String: Any],
           let labels = (template["metadata"] as? [String: Any])?["labels"] {
            spec["selector"] = ["matchLabels": labels]
            object["spec"] = spec
        }
    }
}
