import MedicKube
/// A minimal StatefulSet controller: pods `<name>-0` … `<name>-(n-1)`, replaced when the
/// template changes (no ordered rollout). Each `volumeClaimTemplates` entry gives every
/// ordinal its own claim `<template>-<name>-<ordinal>`, made before its pod and kept when the
/// pod or the StatefulSet goes (the default `Retain` policy), so a replaced pod gets its
/// volume back.
struct StatefulSetController: WorkloadController {
    let resource = ResourceType.statefulSet

    func sync(namespace: String, name: String, in cluster: inout ClusterState) {
        guard var set = cluster.get(.statefulSet, namespace: namespace, name: name), !ClusterState.isTerminating(set) else { return }
        let desired = Int(set[path: ["spec", "replicas"]]?.int ?? 1)
        let template = set[path: ["spec", "template"]] ?? [:]
        let revision = "\(name)-\(PodTemplateHash.of(template))"
        var pods: [JSON] = []
        for pod in cluster.owned(.pod, by: set, kind: "StatefulSet") {
            let ordinal = Int(ClusterState.name(pod).dropFirst(name.count + 1)) ?? desired
            let current = pod[path: ["metadata", "labels", "controller-revision-hash"]]?.string == revision
            if ordinal >= desired || (!current && ClusterState.generation(set) != ClusterState.observedGeneration(set)) {
                cluster.remove(.pod, namespace: namespace, name: ClusterState.name(pod), dependents: .delete)
            } else {
                pods.append(pod)
            }
        }
        for ordinal in 0..<desired where !pods.contains(where: { ClusterState.name($0) == "\(name)-\(ordinal)" }) {
            let template = Self.claiming(template, of: set, ordinal: ordinal, in: &cluster)
            guard let pod = try? cluster.createPod(from: template, owner: set, type: .statefulSet, name: "\(name)-\(ordinal)", extraLabels: [
                "controller-revision-hash": .string(revision),
                "statefulset.kubernetes.io/pod-name": .string("\(name)-\(ordinal)"),
            ]) else { break }
            pods.append(pod)
        }
        let ready = Int64(pods.filter(ClusterState.isReady(pod:)).count)
        let updated = Int64(pods.filter { $0[path: ["metadata", "labels", "controller-revision-hash"]]?.string == revision }.count)
        set = cluster.get(.statefulSet, namespace: namespace, name: name) ?? set
        set["status"] = [
            "observedGeneration": .int(ClusterState.generation(set)), "replicas": .int(Int64(pods.count)),
            "readyReplicas": .int(ready), "availableReplicas": .int(ready), "currentReplicas": .int(updated),
            "updatedReplicas": .int(updated), "currentRevision": .string(revision), "updateRevision": .string(revision),
            "collisionCount": 0,
        ]
        cluster.save(.statefulSet, set)
    }

    /// `template` with a volume for each of the set's claim templates, bound to ordinal
    /// `ordinal`'s claim, which is made when it does not exist yet.
    static func claiming(_ template: JSON, of set: JSON, ordinal: Int, in cluster: inout ClusterState) -> JSON {
        let claims = set[path: ["spec", "volumeClaimTemplates"]]?.array ?? []
        guard !claims.isEmpty else { return template }
        let namespace = ClusterState.namespace(set)
        var template = template
        var volumes = template[path: ["spec", "volumes"]]?.array ?? []
        for claim in claims {
            let volume = claim[path: ["metadata", "name"]]?.string ?? "data"
            let name = "\(volume)-\(ClusterState.name(set))-\(ordinal)"
            if cluster.get(.persistentVolumeClaim, namespace: namespace, name: name) == nil {
                // Through admission, as the real controller's create: the default StorageClass is filled in.
                _ = try? cluster.create(.persistentVolumeClaim, namespace: namespace, body: [
                    "apiVersion": "v1", "kind": "PersistentVolumeClaim",
                    "metadata": ["name": .string(name), "labels": template[path: ["metadata", "labels"]] ?? [:]],
                    "spec": claim["spec"] ?? [:],
                ], dryRun: false)
            }
            volumes.removeAll { $0["name"]?.string == volume }
            volumes.append(["name": .string(volume), "persistentVolumeClaim": ["claimName": .string(name)]])
        }
        template[path: ["spec", "volumes"]] = .array(volumes)
        return template
    }
}
