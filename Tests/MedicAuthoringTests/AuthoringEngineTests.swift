import Foundation
import MedicDiagnosis
import MedicKube
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

    /// consul is scaled to zero and geo crash-loops registering with it (a corpus case):
    /// explaining geo's runbook says it is consul's symptom and why, and explaining consul's
    /// says which symptom it explains.
    @Test func explainSaysWhyAFindingIsGroupedUnderItsCause() throws {
        let file = try RunbookTestLoader.loadFile(
            Self.repository.appendingPathComponent("Tests/Corpus/aiopslab-hotel-reservation-consul-scaled-to-zero.yaml").path)
        let test = try #require(file.tests.first)
        var snapshot = Snapshot()
        for path in test.snapshots { snapshot = snapshot.merged(with: try Snapshot.load(contentsOf: URL(fileURLWithPath: path))) }
        if let inline = test.inlineObjects { snapshot = snapshot.merged(with: try Snapshot.decode(inline, source: "inline")) }
        let cluster = ClusterView(snapshot)
        let all = try RunbookLoader.loadDirectories([Self.repository.appendingPathComponent("runbooks")])
        let options = Diagnoser.Options(now: test.evalTime)
        let grouping = Diagnoser(runbooks: all).diagnose(cluster, metrics: [:], options: options)
        let symptom = try #require(grouping.findings.first { $0.target.name == "geo" && !$0.causedBy.isEmpty })
        let cause = try #require(grouping.findings.first { symptom.causedBy.contains($0.id) })

        func explained(_ id: String) throws -> String {
            let runbook = try #require(all.first { $0.id == id })
            let (report, explanations) = Diagnoser(runbooks: [runbook]).explain(cluster, metrics: [:], options: options)
            return ExplainText.render(runbook, explanations: explanations, report: report, target: nil, now: test.evalTime,
                                      prometheus: nil, grouping: grouping)
        }
        let geo = try explained(symptom.runbook)
        #expect(geo.contains("    symptom of \(cause.id) (rule failing-dependency): geo calls Service consul ("), "\(geo)")
        #expect(geo.contains("medic run does not act on it while that finding is open"), "\(geo)")
        let consul = try explained(cause.runbook)
        #expect(consul.contains("    root cause of \(symptom.id) (rule failing-dependency): geo calls Service consul ("), "\(consul)")
        // Without the grouping, explain says nothing of causes.
        let runbook = try #require(all.first { $0.id == symptom.runbook })
        let (report, explanations) = Diagnoser(runbooks: [runbook]).explain(cluster, metrics: [:], options: options)
        let alone = ExplainText.render(runbook, explanations: explanations, report: report, target: nil, now: test.evalTime, prometheus: nil)
        #expect(alone.contains("=> ") && !alone.contains("symptom of"))
    }
}
