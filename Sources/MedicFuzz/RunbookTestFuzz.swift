import Foundation
import MedicRunbook

extension FuzzTarget {
    /// `RunbookTestLoader.parse`, what `medic test` reads a runbook test file with. The input
    /// is placed in the repository's `runbooks/tests/`, so the seeds' `../x.yaml` references
    /// resolve and the loader goes past them into the cases.
    public static let runbookTest = FuzzTarget(name: "runbook-test") { input in
        let text = String(decoding: input, as: UTF8.self)
        do throws(LoadError) {
            _ = try RunbookTestLoader.parse(text, file: runbookTestsDirectory + "/fuzz.yaml")
            return nil
        } catch {
            return InputExtent(text).check(line: error.line, column: error.column, in: error.description)
        }
    }

    /// `runbooks/tests` of the checkout this was built from.
    private static let runbookTestsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("runbooks/tests").path
}
