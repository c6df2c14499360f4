import Foundation
@testable import MedicKube

extension FuzzTarget {
    /// What the API server answers besides lists: a `Status` body of a failed request, one
    /// line of a watch stream, and the untyped `JSON` KubeSim and patches are built on.
    public static let apiJSON = FuzzTarget(name: "api-json") { input in
        _ = KubeStatus.decode(input)
        _ = try? KubeJSON.decode(WatchFrame<Pod>.self, from: input)
        _ = try? KubeJSON.decode(WatchFrame<Deployment>.self, from: input)
        if let json = try? JSON(parsing: input) {
            _ = json.serialized()
        }
        return nil
    }
}
