import Foundation
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
