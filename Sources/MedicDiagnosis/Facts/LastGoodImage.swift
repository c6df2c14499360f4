import MedicKube

/// The image a container last ran successfully with: from the newest earlier revision of the
/// Deployment that still has ready pods (a stuck rollout keeps them) or whose pods are running
/// and ready. A revision that merely exists is not proof an image worked, so without such
/// evidence there is no last good image and medic does not pick one.
public enum LastGoodImage {
    public static func image(forContainer name: String, currentImage: String?, revisions: [ReplicaSet],
                             currentRevision: Int?, pods: [Pod]) -> (image: String, revision: Int)? {
        for replicaSet in revisions {
            guard let revision = replicaSet.revision, revision != currentRevision,
                  let image = replicaSet.spec.template?.spec.containers.first(where: { $0.name == name })?.image,
                  image != currentImage
            else { continue }
            let readyReplicas = replicaSet.status.readyReplicas ?? 0
            let runningPod = pods.contains { pod in
                pod.metadata.controllerOwner?.name == replicaSet.metadata.name
                    && pod.status.containerStatuses.contains { $0.name == name && $0.ready && $0.image.hasSuffix(image) }
            }
            if readyReplicas > 0 || runningPod { return (image, revision) }
        }
        return nil
    }
}
