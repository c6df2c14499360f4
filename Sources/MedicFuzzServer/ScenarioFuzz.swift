import Foundation
import KubeSim
import MedicFuzz

extension FuzzTarget {
    /// `ScenarioLoader.load`, what `kube-sim --scenario` and the demo read.
    public static let scenario = FuzzTarget(name: "scenario") { input in
        do throws(ScenarioError) {
            _ = try ScenarioLoader.load(String(decoding: input, as: UTF8.self), source: "fuzz.yaml")
        } catch {
            guard error.source == "fuzz.yaml" else { return FuzzViolation("scenario error names another file: \(error)") }
        }
        return nil
    }
}
