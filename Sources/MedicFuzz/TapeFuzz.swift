import Foundation
@testable import MedicKube

extension FuzzTarget {
    /// The token-tape reader every snapshot, API body and watch line goes through, against
    /// `JSONDecoder`: whatever it reads itself, it reads as `JSONDecoder` does (anything else
    /// it must leave to `JSONDecoder`).
    public static let tape = FuzzTarget(name: "tape") { input in
        func agrees<T: Decodable & Equatable>(_ type: T.Type) -> FuzzViolation? {
            guard let read = input.withUnsafeBytes({ TapeReader(sharedFor: $0.count).decode(T.self, from: $0) }) else {
                return nil
            }
            let reference = try? KubeJSON.makeDecoder().decode(T.self, from: input)
            guard read != reference else { return nil }
            return FuzzViolation("the tape read a \(T.self) that JSONDecoder reads \(reference == nil ? "not at all" : "otherwise")")
        }
        return agrees(Pod.self) ?? agrees(Deployment.self) ?? agrees(Event.self) ?? agrees(JSON.self)
    }
}
