import MedicKube

/// The image a container last ran successfully with: from the newest earlier revision of the
/// Deployment with a different image that is proven to have run healthy, by the same evidence
/// as a bad rollout's undo (`RolloutHistory`): ready pods kept by a stuck rollout, a running
/// and ready pod, or the Deployment staying Available until the current rollout began. A
/// revision that merely exists is not proof an image worked, so without such evidence there is
/// no last good image and medic does not pick one.
public enum LastGoodImage {
    public static func image(forContainer name: String, currentImage: String?, workload: Workload,
                             revisions: [ReplicaSet], currentRevision: Int?, pods: [Pod]) -> (image: String, revision: Int)? {
        let current = revisions.first { $0.revision == currentRevision }
        let earlier = revisions.filter { ($0.revision ?? 0) < (currentRevision ?? .max) && $0.revision != currentRevision }
        for (index, replicaSet) in earlier.enumerated() {
            guard let revision = replicaSet.revision,
                  let image = replicaSet.spec.template?.spec.containers.first(where: { $0.name == name })?.image,
                  image != currentImage
            else { continue }
            if RolloutHistory.proof(replicaSet, pods: pods, workload: workload,
                                    rolloutStart: current?.metadata.creationTimestamp, justBefore: index == 0) != nil {
                return (image, revision)
            }
        }
        return nil
    }
}
