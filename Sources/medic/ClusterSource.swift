import MedicGitOps
import MedicKube

/// Where `medic advise` gets the cluster state from: a saved snapshot or a live cluster.
/// Both give the same `Snapshot`, so the diagnosis cannot tell them apart.
protocol ClusterSource: Sendable {
    /// What the report says it looked at: `incident.json`, `context "prod" of ~/.kube/config`.
    var label: String { get }
    func read() async throws(InputError) -> ClusterSnapshotReader.Reading
    /// The whole objects behind the snapshot, for `--output patch`.
    func objects() async throws(InputError) -> any LiveObjects
}
