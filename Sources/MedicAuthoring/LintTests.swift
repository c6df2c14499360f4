import Foundation
import MedicRunbook

/// The test side of `medic lint`: test files that do not load are errors, runbooks that no
/// test file lists are warnings (a rule nobody ran is a rule nobody knows works), and so are
/// keys of inline test objects that medic does not read (errors when they look misspelt).
public enum LintTests {
    public static func check(_ runbooks: [Linter.Loaded], testDirectories: [String]) -> [LintDiagnostic] {
        var diagnostics: [LintDiagnostic] = []
        var tested = Set<String>()
        for directory in Set(testDirectories).sorted() where FileManager.default.fileExists(atPath: directory) {
            let files = (try? RunbookTestLoader.testFiles(in: [directory])) ?? []
            for file in files {
                do {
                    tested.formUnion(try RunbookTestLoader.loadFile(file).runbooks)
                    diagnostics += LintInlineObjects.check(file: file)
                } catch {
                    let message = error.field.isEmpty ? error.message : "\(error.field): \(error.message)"
                    diagnostics.append(LintDiagnostic(file: error.file, line: error.line, column: error.column,
                                                      severity: .error, message: message))
                }
            }
        }
        for loaded in runbooks where !tested.contains(URL(fileURLWithPath: loaded.runbook.file).standardizedFileURL.path) {
            diagnostics.append(LintDiagnostic(
                file: loaded.runbook.file, line: 1, column: 1, severity: .warning,
                message: "no test lists runbook '\(loaded.runbook.id)': add a tests/*.yaml file for it "
                    + "(docs/runbooks.md, \"Testing runbooks\")"))
        }
        return diagnostics
    }
}
