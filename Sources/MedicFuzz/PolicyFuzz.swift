import Foundation
import MedicPolicy
import MedicRunbook

extension FuzzTarget {
    /// `PolicyLoader.parse`, what `medic run` and `medic lint` read a policy file with.
    public static let policy = FuzzTarget(name: "policy") { input in
        let text = String(decoding: input, as: UTF8.self)
        do throws(LoadError) {
            _ = try PolicyLoader.parse(text, file: "fuzz.yaml")
            return nil
        } catch {
            return InputExtent(text).check(line: error.line, column: error.column, in: error.description)
        }
    }
}
