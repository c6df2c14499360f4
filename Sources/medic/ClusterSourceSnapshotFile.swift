import Foundation
import MedicGitOps
import MedicKube

/// A `kubectl get -o json` (or `medic snapshot`) file.
struct SnapshotFileSource: ClusterSource {
    var path: String

    var label: String { path }

    func read() async throws(InputError) -> ClusterSnapshotReader.Reading {
        do {
            return .init(snapshot: try Snapshot.load(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw InputError(description: "medic: snapshot error: \(error)")
        }
    }
}

extension SnapshotFileSource {
    func objects() async throws(InputError) -> any LiveObjects {
        guard let data = FileManager.default.contents(atPath: path), let list = try? JSON(parsing: data) else {
            throw InputError(description: "medic: snapshot error: \(path) cannot be read as JSON")
        }
        return SnapshotObjects(label: path, items: list["items"]?.array ?? [list])
    }
}

/// The items of a snapshot file, as `kubectl get -o json` wrote them.
struct SnapshotObjects: LiveObjects {
    var label: String
    var items: [JSON]

    func object(_ ref: ObjectRef) async throws(GitOpsError) -> JSON {
        guard let item = items.first(where: {
            $0["kind"]?.string == ref.kind && $0["metadata"]?["name"]?.string == ref.name
                && $0["metadata"]?["namespace"]?.string == ref.namespace
        }) else { throw GitOpsError("\(label) does not hold \(ref)") }
        return item
    }

    func replicaSets(in namespace: String) async throws(GitOpsError) -> [JSON] {
        items.filter { $0["kind"]?.string == "ReplicaSet" && $0["metadata"]?["namespace"]?.string == namespace }
    }
}
