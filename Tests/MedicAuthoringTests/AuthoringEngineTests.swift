import Foundation
import MedicRunbook
import Testing
@testable import MedicAuthoring

/// The test, lint and explain engines in process, without the binary: what `medic test`,
/// `medic lint` and `medic explain` print is what these return.
@Suite struct AuthoringEngineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let tutorial = repository.appendingPathComponent("docs/examples/tutorial/runbooks")

    @Test func theTutorialsTestsPassInProcess() async throws {
        var runner = TestRunner(prometheus: false)
        let file = try RunbookTestLoader.loadFile(Self.tutorial.appendingPathComponent("tests/upstream-refused.yaml").path)
        let runbooks = try runner.runbooks(of: file)
        #expect(runbooks.map(\.id) == ["upstream-refused"])
        var results = TestResults()
        for test in file.tests {
            let outcome = await runner.run(test, runbooks: runbooks)
            if case .passed = outcome {} else { Issue.record("\(test.name): \(outcome)") }
            results.append(file: "upstream-refused.yaml", test: test.name, outcome: outcome, duration: .zero)
        }
        #expect(results.passed == 2)
    }

    @Test func lintNamesAMisspeltViewField() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("authoring-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let text = try String(contentsOf: Self.tutorial.appendingPathComponent("upstream-refused.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "c.lastTermination.message.contains(\"connection refused\")",
                                  with: "c.lastTermination.mesage.contains(\"connection refused\")")
        try text.write(to: scratch, atomically: true, encoding: .utf8)
        let (loaded, diagnostics) = Linter.lint(file: scratch.path)
        #expect(loaded != nil)
        #expect(diagnostics.map(\.description) == [
            "\(scratch.path):17:10: error: detect[1].cel: the enriched view has no c.lastTermination.mesage: "
                + "c.lastTermination (last termination) has no field 'mesage' (did you mean 'message'?)",
        ])
    }

    @Test func implausibleInstantsAreRefusedWithWhatWasMeant() {
        #expect(throws: EvaluationTime.Invalid.self) { try EvaluationTime.parse("1763607600000") }
        #expect((try? EvaluationTime.parse("1763607600")) == Date(timeIntervalSince1970: 1_763_607_600))
    }
}
