import Foundation
import MedicRunbook

extension FuzzTarget {
    /// `RunbookLoader.parse`, what `medic` runs on every file of a runbook directory.
    public static let runbook = FuzzTarget(name: "runbook") { input in
        let text = String(decoding: input, as: UTF8.self)
        do throws(LoadError) {
            _ = try RunbookLoader.parse(text, file: "fuzz.yaml")
            return nil
        } catch {
            return InputExtent(text).check(line: error.line, column: error.column, in: error.description)
        }
    }
}
