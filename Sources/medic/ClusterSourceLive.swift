import MedicGitOps
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

extension LiveClusterSource {
    func objects() async throws(InputError) -> any LiveObjects {
        ClusterObjects(reader: KubeReader(connection: connection), label: label)
    }
}

/// Objects read from the cluster one GET at a time, only for the findings being patched.
struct ClusterObjects: LiveObjects {
    var reader: KubeReader
    var label: String

    func object(_ ref: ObjectRef) async throws(GitOpsError) -> JSON {
        guard let resource = KubeResource.known(kind: ref.kind) else { throw GitOpsError("medic cannot read \(ref.kind) objects") }
        do {
            return try JSON(parsing: try await reader.getJSON(resource, name: ref.name, namespace: ref.namespace))
        } catch {
            throw GitOpsError("cannot read \(ref) from \(label): \(error)")
        }
    }

    func replicaSets(in namespace: String) async throws(GitOpsError) -> [JSON] {
        do {
            return try await reader.listJSON(ReplicaSet.resource, namespace: namespace)
        } catch {
            throw GitOpsError("cannot list the ReplicaSets of \(namespace) from \(label): \(error)")
        }
    }
}
