import MedicKube

/// A live cluster, read through a `KubeReader` only: nothing here can change it.
struct LiveClusterSource: ClusterSource {
    var connection: ClusterConnection
    var namespace: String?

    var label: String { connection.origin.isEmpty ? connection.server : connection.origin }

    func read() async throws(InputError) -> ClusterSnapshotReader.Reading {
        let reader = ClusterSnapshotReader(reader: KubeReader(connection: connection), namespace: namespace)
        do {
            return try await reader.read()
        } catch {
            throw InputError(description: "medic: cannot read the cluster (\(label)): \(error)")
        }
    }
}
