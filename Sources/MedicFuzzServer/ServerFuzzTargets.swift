import Foundation
import MedicFuzz

extension FuzzTarget {
    /// The targets whose parsers live in the server modules (KubeSim, the controller): a
    /// separate fuzz executable, because building those with sanitizers costs the most.
    public static let servers: [FuzzTarget] = [.scenario, .alertmanager]
}
